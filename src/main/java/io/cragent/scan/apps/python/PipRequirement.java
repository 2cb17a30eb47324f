package io.cragent.scan.apps.python;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One requirement: a {@code requirements.txt} line or a METADATA {@code Requires-Dist} value, parsed the way
 * snyk-docker-plugin does (a leading name, optional {@code [extras]}, the first specifier and version only).
 *
 * @param name         lower-cased as written (lookups normalise further, see {@link PythonNames})
 * @param specifier    the semver form of the first specifier ({@code ==} → {@code =}, {@code ~=} → {@code ~} or
 *                     {@code ^}), or null
 * @param version      the version after the first specifier, or null
 * @param extras       extras asked for
 * @param extraMarkers for Requires-Dist: the parent's {@code Provides-Extra} names its marker mentions; empty means
 *                     the requirement is not optional
 */
public record PipRequirement(String name, String specifier, String version, List<String> extras,
                             List<String> extraMarkers) {

    // Same shapes as the reference's parsers: only the name is mandatory, anything after the first version is ignored.
    private static final Pattern REQUIREMENTS_LINE = Pattern.compile(
            "^(?<name>[\\w.-]+)((\\[(?<extras>.*)\\])?)((?<specifier><|<=|!=|==|>=|>|~=|===)(?<version>[\\w.]*))?");
    private static final Pattern REQUIRES_DIST = Pattern.compile(
            "^(?<name>[\\w.-]+)((\\[(?<extras>.*)\\])?)(\\s?\\(?(?<specifier><|<=|!=|==|>=|>|~=|===)(?<version>[\\w.]+)\\)?)?");
    private static final Pattern VCS_OR_URL = Pattern.compile("^[\\w.-]+(\\+[a-z]+)?://.*");

    /**
     * A requirements.txt line, or null for blanks, comments, options ({@code -r}, {@code -e}, {@code --index-url})
     * and URLs. The reference parses those as names like {@code -r} or {@code https} that never resolve; skipping them
     * up front only saves a useless warning.
     */
    public static PipRequirement fromRequirementsLine(String raw) {
        String line = jsTrim(raw);
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("-") || VCS_OR_URL.matcher(line).matches()) {
            return null;
        }
        Matcher m = REQUIREMENTS_LINE.matcher(line);
        if (!m.find()) {
            return null;
        }
        String version = m.group("version");
        return new PipRequirement(m.group("name").toLowerCase(java.util.Locale.ROOT),
                semverSpecifier(m.group("specifier"), version), version, extraNames(m.group("extras")), List.of());
    }

    /** A Requires-Dist value, with the parent's Provides-Extra names to recognise optional requirements. */
    public static PipRequirement fromRequiresDist(String raw, List<String> providesExtras) {
        String value = jsTrim(raw);
        Matcher m = REQUIRES_DIST.matcher(value);
        if (!m.find()) {
            return null;
        }
        String version = m.group("version");
        return new PipRequirement(m.group("name").toLowerCase(java.util.Locale.ROOT),
                semverSpecifier(m.group("specifier"), version), version, extraNames(m.group("extras")),
                extraMarkers(providesExtras, value));
    }

    /** Whether this requirement only applies to extras of its parent. */
    public boolean optional() {
        return !extraMarkers.isEmpty();
    }

    /** The node key the reference traverses by: extras asked for make a separate visit. */
    String extrasKey() {
        return extras.isEmpty() ? "" : ":" + String.join(",", extras);
    }

    /** PEP 440 operators as node-semver understands them (the reference compares versions with semver). */
    static String semverSpecifier(String specifier, String version) {
        if (specifier == null) {
            return null;
        }
        if (specifier.equals("==") || specifier.equals("===")) {
            return "=";
        }
        if (!specifier.equals("~=")) {
            return specifier;
        }
        // ~=1.4 allows 1.x (>= 1.4), ~=1.4.5 allows 1.4.x (>= 1.4.5): caret and tilde in semver terms.
        return version != null && version.split("\\.", -1).length == 2 ? "^" : "~";
    }

    private static List<String> extraNames(String extras) {
        Set<String> names = new LinkedHashSet<>();
        if (extras != null) {
            for (String extra : extras.split(",", -1)) {
                String name = jsTrim(extra);
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return List.copyOf(names);
    }

    /** Provides-Extra names quoted after the word {@code extra} in the marker (the part after the first ';'). */
    private static List<String> extraMarkers(List<String> providesExtras, String requiresDist) {
        String[] parts = requiresDist.split(";", -1);
        if (parts.length < 2) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        for (String extra : providesExtras) {
            if (markerPattern(extra).matcher(parts[1]).find() && !found.contains(extra)) {
                found.add(extra);
            }
        }
        return found;
    }

    private static Pattern markerPattern(String extra) {
        try {
            // The reference builds this regex from the raw extra name; keep that, quoting only what would not compile.
            return Pattern.compile(".*extra.*(\"|')(" + extra + ")(\"|').*");
        } catch (java.util.regex.PatternSyntaxException e) {
            return Pattern.compile(".*extra.*(\"|')(" + Pattern.quote(extra) + ")(\"|').*");
        }
    }

    /** JavaScript's String.prototype.trim: whitespace, line terminators, NBSP and BOM. */
    static String jsTrim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isJsSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isJsSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isJsSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }
}
