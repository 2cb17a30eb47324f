package io.cragent.broker.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code valid[].path} or {@code BROKER_VAR_SUB} path into a JSON body: dot-separated keys ({@code a.b.0.c}),
 * {@code *} for every key at one level. Split the way snyk's undefsafe 2.0.5 splits (so {@code a["b"]} also
 * works), but looked up without undefsafe's side effects (broker-protocol.md §4.3).
 */
public final class BodyPath {

    private final String source;
    private final List<String> parts;

    private BodyPath(String source, List<String> parts) {
        this.source = source;
        this.parts = parts;
    }

    public static BodyPath of(String path) {
        return new BodyPath(path, split(path));
    }

    public boolean hasWildcard() {
        return parts.contains("*");
    }

    /** Every value at this path (several through {@code *}); empty when nothing is there. */
    public List<Object> resolve(Object root) {
        List<Object> found = new ArrayList<>();
        if (source.trim().isEmpty()) {
            found.add(root);
        } else {
            collect(root, 0, found);
        }
        return found;
    }

    private void collect(Object node, int index, List<Object> found) {
        if (index == parts.size()) {
            found.add(node);
            return;
        }
        String key = parts.get(index);
        if (key.equals("*")) {
            if (node instanceof Map<?, ?> map) {
                for (Object child : map.values()) {
                    collect(child, index + 1, found);
                }
            } else if (node instanceof List<?> list) {
                for (Object child : list) {
                    collect(child, index + 1, found);
                }
            }
            return;
        }
        if (node instanceof Map<?, ?> map && map.containsKey(key)) {
            collect(map.get(key), index + 1, found);
        } else if (node instanceof List<?> list) {
            int i = arrayIndex(key);
            if (i >= 0 && i < list.size()) {
                collect(list.get(i), index + 1, found);
            }
        }
    }

    /** Replaces the value at this path (no wildcard); false when the path does not lead to an existing value. */
    @SuppressWarnings("unchecked")
    public boolean set(Object root, Object value) {
        if (hasWildcard() || parts.isEmpty()) {
            return false;
        }
        Object node = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            List<Object> next = BodyPath.ofParts(parts.subList(i, i + 1)).resolve(node);
            if (next.isEmpty()) {
                return false;
            }
            node = next.get(0);
        }
        String last = parts.get(parts.size() - 1);
        if (node instanceof Map<?, ?> map && map.containsKey(last)) {
            ((Map<String, Object>) map).put(last, value);
            return true;
        }
        if (node instanceof List<?> list) {
            int i = arrayIndex(last);
            if (i >= 0 && i < list.size()) {
                ((List<Object>) list).set(i, value);
                return true;
            }
        }
        return false;
    }

    private static BodyPath ofParts(List<String> parts) {
        return new BodyPath(String.join(".", parts), List.copyOf(parts));
    }

    /** Canonical array index ("0", "12"; not "01" or "-1"), as JavaScript's own property names. */
    private static int arrayIndex(String key) {
        if (key.isEmpty() || key.length() > 9 || (key.length() > 1 && key.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(key);
    }

    /** undefsafe 2.0.5's split, ported as is (including its bracket handling). */
    static List<String> split(String path) {
        List<String> res = new ArrayList<>();
        int level = 0;
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (level == 0 && (c == '.' || c == '[')) {
                if (c == '[') {
                    level++;
                    i++;
                }
                if (key.length() > 0) {
                    res.add(key.toString());
                }
                key.setLength(0);
                continue;
            }
            if (c == ']') {
                level--;
                if (key.length() > 0) {
                    key.setLength(key.length() - 1);
                }
                continue;
            }
            key.append(c);
        }
        res.add(key.toString());
        return List.copyOf(res);
    }

    @Override
    public String toString() {
        return source;
    }
}
