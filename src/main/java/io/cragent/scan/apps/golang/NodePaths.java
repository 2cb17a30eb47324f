package io.cragent.scan.apps.golang;

import java.util.ArrayDeque;
import java.util.Deque;

/** The bits of node's {@code path.posix} the reference applies to Go file names, with its exact edge cases. */
final class NodePaths {
    private NodePaths() {
    }

    /** {@code path.posix.normalize}: collapses {@code //}, {@code .} and {@code ..}; keeps a trailing slash. */
    static String normalize(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean absolute = path.startsWith("/");
        boolean trailing = path.endsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!absolute) {
                    parts.addLast("..");
                }
                continue;
            }
            parts.addLast(segment);
        }
        String joined = String.join("/", parts);
        if (joined.isEmpty() && !absolute) {
            joined = ".";
        }
        if (!joined.isEmpty() && trailing) {
            joined += "/";
        }
        return absolute ? "/" + joined : joined;
    }

    /** {@code path.posix.join(a, b)}. */
    static String join(String a, String b) {
        String joined = a.isEmpty() ? b : b.isEmpty() ? a : a + "/" + b;
        return joined.isEmpty() ? "." : normalize(joined);
    }

    /** {@code path.posix.parse(p).dir}: "" without a slash, "/" for a file at the root, trailing slashes ignored. */
    static String parseDir(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        if (slash < 0) {
            return "";
        }
        if (slash == 0) {
            return "/";
        }
        return p.substring(0, slash);
    }
}
