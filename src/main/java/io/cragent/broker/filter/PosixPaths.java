package io.cragent.broker.filter;

/**
 * Node's {@code path.posix.normalize}, ported exactly: snyk refuses any URL that normalization would change
 * ({@code //}, {@code /./}, {@code /../}, a trailing {@code /.}), query and fragment included (broker-protocol.md §4.2).
 */
final class PosixPaths {

    private PosixPaths() {
    }

    static boolean isNormalized(String url) {
        return normalize(url).equals(url);
    }

    static String normalize(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean absolute = path.charAt(0) == '/';
        boolean trailingSeparator = path.charAt(path.length() - 1) == '/';
        String normalized = normalizeString(path, !absolute);
        if (normalized.isEmpty()) {
            return absolute ? "/" : trailingSeparator ? "./" : ".";
        }
        if (trailingSeparator) {
            normalized += "/";
        }
        return absolute ? "/" + normalized : normalized;
    }

    /** Node's normalizeString: resolves '.' and '..' segments and collapses separators. */
    private static String normalizeString(String path, boolean allowAboveRoot) {
        StringBuilder res = new StringBuilder();
        int lastSegmentLength = 0;
        int lastSlash = -1;
        int dots = 0;
        char code = 0;
        for (int i = 0; i <= path.length(); ++i) {
            if (i < path.length()) {
                code = path.charAt(i);
            } else if (code == '/') {
                break;
            } else {
                code = '/';
            }
            if (code == '/') {
                if (lastSlash == i - 1 || dots == 1) {
                    // empty or '.' segment: dropped
                } else if (dots == 2) {
                    int len = res.length();
                    if (len < 2 || lastSegmentLength != 2 || res.charAt(len - 1) != '.' || res.charAt(len - 2) != '.') {
                        if (len > 2) {
                            int lastSlashIndex = res.lastIndexOf("/");
                            if (lastSlashIndex == -1) {
                                res.setLength(0);
                                lastSegmentLength = 0;
                            } else {
                                res.setLength(lastSlashIndex);
                                lastSegmentLength = res.length() - 1 - res.lastIndexOf("/");
                            }
                            lastSlash = i;
                            dots = 0;
                            continue;
                        } else if (len != 0) {
                            res.setLength(0);
                            lastSegmentLength = 0;
                            lastSlash = i;
                            dots = 0;
                            continue;
                        }
                    }
                    if (allowAboveRoot) {
                        res.append(res.length() > 0 ? "/.." : "..");
                        lastSegmentLength = 2;
                    }
                } else {
                    if (res.length() > 0) {
                        res.append('/');
                    }
                    res.append(path, lastSlash + 1, i);
                    lastSegmentLength = i - lastSlash - 1;
                }
                lastSlash = i;
                dots = 0;
            } else if (code == '.' && dots != -1) {
                ++dots;
            } else {
                dots = -1;
            }
        }
        return res.toString();
    }
}
