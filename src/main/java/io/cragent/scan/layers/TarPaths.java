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
        return normalize(name, false);
    }

    /** A link target resolved against the directory of the link; a {@code ..} at the root stays there, as in the kernel. */
    public static String resolveAgainst(String linkPath, String target) {
        return normalize(target.startsWith("/") ? target : parent(linkPath) + "/" + target, true);
    }

    private static String normalize(String name, boolean confined) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty() && !confined) {
                    return null;
                }
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
