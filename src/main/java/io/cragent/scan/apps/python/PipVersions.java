package io.cragent.scan.apps.python;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version handling of snyk-docker-plugin's pip support, which leans on node-semver: METADATA versions are
 * coerced to {@code x.y.z} (kept as written only when purely numeric with 3+ parts), installed versions of one name
 * are tried highest first, and a requirement's first specifier picks among them as a semver range.
 */
final class PipVersions {
    private static final Pattern COERCE = Pattern.compile("(^|[^\\d])(\\d{1,16})(?:\\.(\\d{1,16}))?(?:\\.(\\d{1,16}))?(?:$|[^\\d])");
    private static final Pattern NUMERIC = Pattern.compile("^\\d+(\\.\\d+)+$");
    private static final Pattern LEADING_NUMBERS = Pattern.compile("^((\\d+\\.)*\\d+)");
    private static final Pattern SEMVER = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)$");
    private static final Pattern PARTIAL = Pattern.compile("^[v=\\s]*(\\d+|[xX*])(?:\\.(\\d+|[xX*])(?:\\.(\\d+|[xX*]))?)?$");
    private static final long MAX_SAFE = 9007199254740991L;

    private PipVersions() {
    }

    /** The version the reference reports for a METADATA {@code Version}, or null when it cannot be coerced. */
    static String metadataVersion(String raw) {
        String coerced = coerce(raw);
        if (coerced == null) {
            return null;
        }
        return raw.startsWith(coerced) && NUMERIC.matcher(raw).matches() ? raw : coerced;
    }

    /** node-semver's coerce: the first {@code x[.y[.z]]} run, padded; null when absent or not a valid semver. */
    static String coerce(String raw) {
        Matcher m = COERCE.matcher(raw);
        if (!m.find()) {
            return null;
        }
        String[] parts = {m.group(2), m.group(3) == null ? "0" : m.group(3), m.group(4) == null ? "0" : m.group(4)};
        for (String part : parts) {
            if (part.length() > 1 && part.startsWith("0") || Long.parseLong(part) > MAX_SAFE) {
                return null;
            }
        }
        return String.join(".", parts);
    }

    /** Descending order by the leading numeric run ({@code 1.10 > 1.9}); incomparable versions are equal. */
    static int descending(String a, String b) {
        Matcher ma = LEADING_NUMBERS.matcher(a);
        Matcher mb = LEADING_NUMBERS.matcher(b);
        if (!ma.find() || !mb.find()) {
            return 0;
        }
        String[] pa = ma.group(1).split("\\.");
        String[] pb = mb.group(1).split("\\.");
        for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
            double x = i < pa.length ? number(pa[i]) : 0;
            double y = i < pb.length ? number(pb[i]) : 0;
            if (x != y) {
                return x < y ? 1 : -1;
            }
        }
        return 0;
    }

    private static double number(String digits) {
        return Double.parseDouble(digits);
    }

    /**
     * Whether an installed version satisfies {@code <specifier><version>} as a semver range (loose). Invalid versions
     * or ranges (e.g. {@code !=}, four-part versions, pre-release tags) satisfy nothing, as in node-semver.
     */
    static boolean satisfies(String installed, String specifier, String version) {
        Matcher v = SEMVER.matcher(installed);
        if (!v.matches()) {
            return false;
        }
        long[] have = {Long.parseLong(v.group(1)), Long.parseLong(v.group(2)), Long.parseLong(v.group(3))};
        List<long[]> bounds = bounds(specifier == null ? "" : specifier, version == null ? "" : version);
        if (bounds == null) {
            return false;
        }
        long[] lower = bounds.get(0);
        long[] upper = bounds.get(1);
        // lower/upper: {major, minor, patch, inclusive?1:0}; null means unbounded.
        return (lower == null || cmp(have, lower) > 0 || cmp(have, lower) == 0 && lower[3] == 1)
                && (upper == null || cmp(have, upper) < 0 || cmp(have, upper) == 0 && upper[3] == 1);
    }

    /** The range as [lower, upper] (either may be null), or null when node-semver would reject it. */
    private static List<long[]> bounds(String op, String text) {
        Matcher m = PARTIAL.matcher(text);
        if (!m.matches()) {
            return null;
        }
        Long[] p = new Long[3];
        int given = 0;
        for (int i = 0; i < 3; i++) {
            String g = m.group(i + 1);
            if (g == null || g.equalsIgnoreCase("x") || g.equals("*")) {
                break;
            }
            p[i] = Long.parseLong(g);
            given++;
        }
        long major = given > 0 ? p[0] : 0;
        long minor = given > 1 ? p[1] : 0;
        long patch = given > 2 ? p[2] : 0;
        long[] base = {major, minor, patch, 1};
        long[] nextUp = given == 0 ? null : given == 1 ? new long[]{major + 1, 0, 0, 0}
                : given == 2 ? new long[]{major, minor + 1, 0, 0} : new long[]{major, minor, patch, 1};
        List<long[]> out = new ArrayList<>(2);
        switch (op) {
            case "", "=" -> {
                out.add(given == 0 ? null : base);
                out.add(nextUp);
            }
            case ">=" -> {
                out.add(given == 0 ? null : base);
                out.add(null);
            }
            case ">" -> {
                if (given == 0) {
                    return null;
                }
                out.add(given == 3 ? new long[]{major, minor, patch, 0} : nextUp(nextUp));
                out.add(null);
            }
            case "<" -> {
                out.add(null);
                out.add(given == 0 ? new long[]{0, 0, 0, 0} : new long[]{major, minor, patch, 0});
            }
            case "<=" -> {
                out.add(null);
                out.add(nextUp);
            }
            case "~" -> {
                out.add(given == 0 ? null : base);
                out.add(given == 0 ? null : given == 1 ? new long[]{major + 1, 0, 0, 0} : new long[]{major, minor + 1, 0, 0});
            }
            case "^" -> {
                out.add(given == 0 ? null : base);
                out.add(caretUpper(given, major, minor, patch));
            }
            default -> {
                return null;
            }
        }
        return out;
    }

    /** {@code >1.2} means {@code >=1.3.0}: the exclusive upper of the partial becomes an inclusive lower. */
    private static long[] nextUp(long[] exclusiveUpper) {
        return new long[]{exclusiveUpper[0], exclusiveUpper[1], exclusiveUpper[2], 1};
    }

    private static long[] caretUpper(int given, long major, long minor, long patch) {
        if (given == 0) {
            return null;
        }
        if (major > 0 || given == 1) {
            return new long[]{major + 1, 0, 0, 0};
        }
        if (minor > 0 || given == 2) {
            return new long[]{0, minor + 1, 0, 0};
        }
        return new long[]{0, 0, patch + 1, 0};
    }

    private static int cmp(long[] a, long[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Long.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
