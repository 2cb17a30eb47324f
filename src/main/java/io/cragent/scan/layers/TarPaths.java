package io.cragent.scan.layers;

import java.util.ArrayDeque;
import java.util.Deque;

/** Tar entry names as absolute, normalised image paths. */
public final class TarPaths {
    private TarPaths() {
    }

    /**
     * {@code ./usr//lib/./x} → {@code /usr/lib/x}; null for a name that climbs out of the root with {@code ..}
     * (such an entry is ignored: it is an attack or a broken archive).
     */
    public static String normalize(String name) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** A link target resolved against the directory of the link; null when it escapes the root. */
    public static String resolveAgainst(String linkPath, String target) {
        if (target.startsWith("/")) {
            return normalizeConfined(target);
        }
        return normalizeConfined(parent(linkPath) + "/" + target);
    }

    /** Like {@link #normalize} but a {@code ..} at the root stays at the root, as the kernel resolves it. */
    private static String normalizeConfined(String name) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    public static String basename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Whether {@code path} is {@code dir} or below it. */
    public static boolean isUnder(String path, String dir) {
        return dir.equals("/") || path.equals(dir) || path.startsWith(dir + "/");
    }
}
