package io.cragent.scan.os;

import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the distribution from its release files, in snyk's order; the first that yields a result wins. Symlinked
 * release files are followed (Debian's {@code /etc/os-release} is one), and a file that cannot be read is skipped.
 */
public final class OsReleaseDetector {
    private static final Pattern MAJOR = Pattern.compile("(\\d+)\\.");
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.\\d+");
    private static final String CHISEL_MANIFEST = "/var/lib/chisel/manifest.wall";

    private record Probe(String path, Function<String, Optional<OsRelease>> parse) {
    }

    private static final List<Probe> PROBES = List.of(
            new Probe("/etc/os-release", OsReleaseDetector::osRelease),
            new Probe("/usr/lib/os-release", OsReleaseDetector::osRelease),
            new Probe("/etc/lsb-release", OsReleaseDetector::lsbRelease),
            new Probe("/etc/debian_version", text -> firstLine(text).map(v -> release("debian", v.split("\\.")[0], null))),
            new Probe("/etc/alpine-release", text -> firstLine(text).map(v -> release("alpine", v, null))),
            new Probe("/etc/redhat-release", text -> firstLine(text).flatMap(line -> major(line, MAJOR).map(v ->
                    release(line.contains("Red Hat") ? "rhel" : firstWord(line), v, null)))),
            new Probe("/etc/centos-release", text -> firstLine(text).flatMap(line -> major(line, MAJOR).map(v ->
                    release(firstWord(line), v, null)))),
            new Probe("/etc/oracle-release", text -> firstLine(text).flatMap(line -> major(line, MAJOR_MINOR).map(v ->
                    release(firstWord(line), v, null)))));

    /** The release files it reads, for the layer matcher. */
    public static final FileMatcher MATCHER = path -> PROBES.stream().anyMatch(p -> p.path().equals(path))
            || path.equals(CHISEL_MANIFEST);

    private OsReleaseDetector() {
    }

    public static OsRelease detect(ImageFiles files, List<String> warnings) {
        for (Probe probe : PROBES) {
            Optional<byte[]> content = files.resolveFile(probe.path());
            if (content.isEmpty()) {
                continue;
            }
            Optional<OsRelease> release = probe.parse().apply(new String(content.get(), StandardCharsets.UTF_8));
            if (release.isPresent()) {
                return release.get();
            }
            warnings.add("could not read the release file " + probe.path() + "; trying the next one");
        }
        if (files.resolveFile(CHISEL_MANIFEST).isPresent()) {
            return new OsRelease("chisel", "0.0", null);
        }
        return OsRelease.UNKNOWN;
    }

    private static Optional<OsRelease> osRelease(String text) {
        Map<String, String> fields = keyValues(text);
        String id = fields.get("ID");
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        String version = fields.getOrDefault("VERSION_ID", "unstable");
        if (id.equals("ol")) {
            version = version.split("\\.")[0];
        }
        return Optional.of(release(id, version, fields.get("PRETTY_NAME")));
    }

    private static Optional<OsRelease> lsbRelease(String text) {
        Map<String, String> fields = keyValues(text);
        String id = fields.get("DISTRIB_ID");
        String version = fields.get("DISTRIB_RELEASE");
        return id == null || version == null ? Optional.empty()
                : Optional.of(release(id.toLowerCase(Locale.ROOT), version, fields.get("DISTRIB_DESCRIPTION")));
    }

    /** snyk's post-fixes: {@code ol} is reported as {@code oracle}; a dot-less SLES version gets {@code .0}. */
    private static OsRelease release(String name, String version, String prettyName) {
        String n = name.equals("ol") ? "oracle" : name;
        String v = n.equals("sles") && !version.contains(".") ? version + ".0" : version;
        return new OsRelease(n, v, prettyName);
    }

    static Map<String, String> keyValues(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) {
                continue;
            }
            String value = line.substring(eq + 1).trim();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            out.put(line.substring(0, eq).trim(), value);
        }
        return out;
    }

    private static Optional<String> firstLine(String text) {
        String line = text.strip().split("\\R", 2)[0].trim();
        return line.isEmpty() ? Optional.empty() : Optional.of(line);
    }

    private static Optional<String> major(String line, Pattern pattern) {
        Matcher m = pattern.matcher(line);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String firstWord(String line) {
        return line.split("\\s+")[0].toLowerCase(Locale.ROOT);
    }
}
