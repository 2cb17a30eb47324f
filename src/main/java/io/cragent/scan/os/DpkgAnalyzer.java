package io.cragent.scan.os;

import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian packages from {@code /var/lib/dpkg/status} (with apt's auto-installed marks), or, for distroless images,
 * from every file in {@code /var/lib/dpkg/status.d/}. Only packages dpkg reports as {@code install ok installed}
 * count: a removed package whose config files remain is not installed software.
 */
public final class DpkgAnalyzer implements OsPackageAnalyzer {
    static final String STATUS = "/var/lib/dpkg/status";
    static final String EXTENDED_STATES = "/var/lib/apt/extended_states";
    static final String STATUS_D = "/var/lib/dpkg/status.d/";
    private static final Pattern SOURCE = Pattern.compile("(\\S+)(?:\\s+\\((\\S+)\\))?");

    private final boolean distroless;

    private DpkgAnalyzer(boolean distroless) {
        this.distroless = distroless;
    }

    /** The classic {@code status} database. */
    public static DpkgAnalyzer status() {
        return new DpkgAnalyzer(false);
    }

    /** Distroless images' {@code status.d/} directory, one or more stanzas per file. */
    public static DpkgAnalyzer statusD() {
        return new DpkgAnalyzer(true);
    }

    @Override
    public String packageManager() {
        return "deb";
    }

    @Override
    public FileMatcher matcher() {
        return FileMatcher.of(path -> distroless ? path.startsWith(STATUS_D) && !path.endsWith(".md5sums")
                : path.equals(STATUS) || path.equals(EXTENDED_STATES), FileMatcher.DATABASE_CAP);
    }

    @Override
    public List<OsPackage> analyze(ImageFiles files, OsRelease os, List<String> warnings) {
        List<Map<String, String>> stanzas = new ArrayList<>();
        if (distroless) {
            for (String path : files.paths(p -> p.startsWith(STATUS_D) && !p.endsWith(".md5sums"))) {
                stanzas.addAll(Stanzas.parse(text(files, path)));
            }
        } else {
            files.file(STATUS).ifPresent(b -> stanzas.addAll(Stanzas.parse(new String(b, StandardCharsets.UTF_8))));
        }
        Set<String> auto = autoInstalled(files);
        List<OsPackage> packages = new ArrayList<>();
        int notInstalled = 0;
        for (Map<String, String> stanza : stanzas) {
            String name = stanza.get("package");
            String version = stanza.get("version");
            if (name == null || name.isBlank() || version == null || version.isBlank()) {
                continue;
            }
            String status = stanza.get("status");
            boolean installed = status == null ? distroless : status.trim().equals("install ok installed");
            if (!installed) {
                notInstalled++;
                continue;
            }
            packages.add(toPackage(stanza, name, version, os, auto.contains(name)));
        }
        if (notInstalled > 0) {
            warnings.add(notInstalled + " dpkg entries are not 'install ok installed' (removed, half-configured or "
                    + "config files only) and are not reported");
        }
        return packages;
    }

    private static OsPackage toPackage(Map<String, String> stanza, String name, String version, OsRelease os, boolean auto) {
        String source = null;
        String sourceVersion = null;
        String sourceField = stanza.get("source");
        if (sourceField != null && !sourceField.isBlank()) {
            Matcher m = SOURCE.matcher(sourceField.trim());
            if (m.lookingAt()) {
                source = m.group(1);
                sourceVersion = m.group(2);
            }
        }
        List<String> depends = new ArrayList<>();
        for (String field : List.of("pre-depends", "depends")) {
            String value = stanza.get(field);
            if (value != null) {
                for (String item : value.split(",")) {
                    for (String alternative : item.split("\\|")) {
                        firstWord(alternative).ifPresent(depends::add);
                    }
                }
            }
        }
        List<String> provides = new ArrayList<>();
        String providesField = stanza.get("provides");
        if (providesField != null) {
            for (String item : providesField.split(",")) {
                firstWord(item).ifPresent(provides::add);
            }
        }
        String graphName = source != null ? source + "/" + name : name;
        return new OsPackage(name, version, graphName, provides, depends,
                Purls.deb(os, name, version, source, sourceVersion), auto);
    }

    /** The first word, without an architecture qualifier ({@code python3:any} → {@code python3}). */
    private static java.util.Optional<String> firstWord(String item) {
        String word = item.trim().split("\\s+")[0];
        int colon = word.indexOf(':');
        word = colon > 0 ? word.substring(0, colon) : word;
        return word.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(word);
    }

    private static Set<String> autoInstalled(ImageFiles files) {
        Set<String> auto = new HashSet<>();
        files.file(EXTENDED_STATES).ifPresent(bytes -> {
            for (Map<String, String> stanza : Stanzas.parse(new String(bytes, StandardCharsets.UTF_8))) {
                if ("1".equals(stanza.get("auto-installed")) && stanza.get("package") != null) {
                    auto.add(stanza.get("package"));
                }
            }
        });
        return auto;
    }

    private static String text(ImageFiles files, String path) {
        return files.file(path).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
    }
}
