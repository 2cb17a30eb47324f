package io.cragent.broker.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What snyk's {@code qs.parse(query)[name]} (qs 6.15, default options) gives for one top-level parameter:
 * a single string, nothing, or something else (an array from {@code a=1&a=2}, an object from {@code a[b]=1}),
 * which makes snyk's glob matching throw and the request blocked (broker-protocol.md §4.3).
 *
 * <p>Ported from qs's parseValues / splitKeyIntoSegments / parseObject / merge, keeping only whether each
 * top-level value ends up a string; {@code %5B}/{@code %5D} become brackets, {@code +} a space, keys and
 * values are decoded with {@code decodeURIComponent} (kept raw when that fails), at most 1000 parameters.
 */
final class QueryString {

    /** A top-level value that is not a single string. */
    static final Object NOT_A_STRING = new Object();

    /** Names every JavaScript object inherits: qs ignores them, and a lookup finds a function, not a string. */
    static final Set<String> OBJECT_PROTOTYPE = Set.of("constructor", "__defineGetter__", "__defineSetter__",
            "hasOwnProperty", "__lookupGetter__", "__lookupSetter__", "isPrototypeOf", "propertyIsEnumerable",
            "toString", "valueOf", "__proto__", "toLocaleString");

    private static final int PARAMETER_LIMIT = 1000;
    private static final int DEPTH = 5;
    private static final int ARRAY_LIMIT = 20;

    private final Map<String, Object> topLevel;

    private QueryString(Map<String, Object> topLevel) {
        this.topLevel = topLevel;
    }

    static QueryString parse(String query) {
        Map<String, Object> values = parseValues(query);
        Map<String, Object> top = new LinkedHashMap<>();
        for (String key : jsKeyOrder(values)) {
            for (Object[] contribution : contributions(key, values.get(key))) {
                String name = (String) contribution[0];
                Object value = contribution[1];
                if (!top.containsKey(name)) {
                    top.put(name, value);
                } else if (!"".equals(value)) {
                    top.put(name, NOT_A_STRING);   // qs merges two values into an array
                }
            }
        }
        return new QueryString(top);
    }

    /** The string, {@code null} when absent (snyk then uses ""), or {@link #NOT_A_STRING}. */
    Object get(String name) {
        Object value = topLevel.get(name);
        if (value == null && OBJECT_PROTOTYPE.contains(name)) {
            return NOT_A_STRING;
        }
        return value;
    }

    private static Map<String, Object> parseValues(String query) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return values;
        }
        String clean = query.replaceAll("(?i)%5B", "[").replaceAll("(?i)%5D", "]");
        String[] parts = clean.split("&", -1);
        for (int i = 0; i < parts.length && i < PARAMETER_LIMIT; i++) {
            String part = parts[i];
            int bracketEquals = part.indexOf("]=");
            int pos = bracketEquals == -1 ? part.indexOf('=') : bracketEquals + 1;
            String key = pos == -1 ? decode(part) : decode(part.substring(0, pos));
            String value = pos == -1 ? "" : decode(part.substring(pos + 1));
            Object previous = values.get(key);
            if (previous == null) {
                values.put(key, value);
            } else {
                List<String> combined = new ArrayList<>();
                if (previous instanceof List<?> list) {
                    list.forEach(v -> combined.add((String) v));
                } else {
                    combined.add((String) previous);
                }
                combined.add(value);
                values.put(key, combined);
            }
        }
        return values;
    }

    /** The top-level names (and values) that one decoded key contributes. */
    private static List<Object[]> contributions(String key, Object value) {
        List<Object[]> out = new ArrayList<>();
        if (key.isEmpty()) {
            return out;
        }
        List<String> segments = segments(key);
        if (segments == null) {
            return out;
        }
        int first = key.indexOf('[');
        String parent = first >= 0 ? key.substring(0, first) : key;
        if (!parent.isEmpty()) {
            out.add(new Object[] {parent, segments.size() == 1 ? single(value) : NOT_A_STRING});
            return out;
        }
        String root = segments.get(0);
        boolean nested = segments.size() > 1;
        if (root.equals("[]")) {
            if (nested) {
                out.add(new Object[] {"0", NOT_A_STRING});
            } else if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    out.add(new Object[] {String.valueOf(i), list.get(i)});
                }
            } else {
                out.add(new Object[] {"0", value});
            }
            return out;
        }
        String cleanRoot = root.startsWith("[") && root.endsWith("]") ? root.substring(1, root.length() - 1) : root;
        if (!cleanRoot.equals("__proto__")) {
            out.add(new Object[] {cleanRoot, nested ? NOT_A_STRING : single(value)});
        }
        return out;
    }

    private static Object single(Object value) {
        return value instanceof String ? value : NOT_A_STRING;
    }

    /** qs's splitKeyIntoSegments with depth 5; null when qs drops the key (prototype names). */
    private static List<String> segments(String key) {
        List<String> segments = new ArrayList<>();
        int first = key.indexOf('[');
        String parent = first >= 0 ? key.substring(0, first) : key;
        if (!parent.isEmpty()) {
            if (OBJECT_PROTOTYPE.contains(parent)) {
                return null;
            }
            segments.add(parent);
        }
        int open = first;
        int collected = 0;
        while (open >= 0 && collected < DEPTH) {
            int level = 1;
            int close = -1;
            for (int i = open + 1; i < key.length() && close < 0; i++) {
                char c = key.charAt(i);
                if (c == '[') {
                    level++;
                } else if (c == ']' && --level == 0) {
                    close = i;
                }
            }
            if (close < 0) {
                segments.add("[" + key.substring(open) + "]");
                return segments;
            }
            String segment = key.substring(open, close + 1);
            if (OBJECT_PROTOTYPE.contains(segment.substring(1, segment.length() - 1))) {
                return null;
            }
            segments.add(segment);
            collected++;
            open = key.indexOf('[', close + 1);
        }
        if (open >= 0) {
            segments.add("[" + key.substring(open) + "]");
        }
        return segments;
    }

    /** Object.keys order: array-index-like keys ascending, then the others in insertion order. */
    private static List<String> jsKeyOrder(Map<String, Object> values) {
        List<String> indices = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String key : values.keySet()) {
            (isArrayIndex(key) ? indices : others).add(key);
        }
        indices.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        indices.addAll(others);
        return indices;
    }

    private static boolean isArrayIndex(String key) {
        if (key.isEmpty() || key.length() > 10 || (key.length() > 1 && key.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return false;
            }
        }
        return Long.parseLong(key) < 4294967295L;
    }

    /** qs's decoder: '+' is a space, then decodeURIComponent, or the text as is when that throws. */
    static String decode(String text) {
        String withoutPlus = text.replace('+', ' ');
        try {
            return decodeUriComponent(withoutPlus);
        } catch (IllegalArgumentException e) {
            return withoutPlus;
        }
    }

    /** ECMAScript decodeURIComponent: strict UTF-8, throws on any malformed escape. */
    static String decodeUriComponent(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int b = hexByte(s, i);
            i += 2;
            if (b < 0x80) {
                out.append((char) b);
                continue;
            }
            int n;
            int cp;
            if ((b & 0xE0) == 0xC0) {
                n = 2;
                cp = b & 0x1F;
            } else if ((b & 0xF0) == 0xE0) {
                n = 3;
                cp = b & 0x0F;
            } else if ((b & 0xF8) == 0xF0) {
                n = 4;
                cp = b & 0x07;
            } else {
                throw new IllegalArgumentException("URI malformed");
            }
            for (int k = 1; k < n; k++) {
                if (i + 1 >= s.length() || s.charAt(i + 1) != '%') {
                    throw new IllegalArgumentException("URI malformed");
                }
                int cont = hexByte(s, i + 1);
                if ((cont & 0xC0) != 0x80) {
                    throw new IllegalArgumentException("URI malformed");
                }
                cp = (cp << 6) | (cont & 0x3F);
                i += 3;
            }
            int min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                throw new IllegalArgumentException("URI malformed");
            }
            out.appendCodePoint(cp);
        }
        return out.toString();
    }

    private static int hexByte(String s, int percentAt) {
        if (percentAt + 2 >= s.length()) {
            throw new IllegalArgumentException("URI malformed");
        }
        int hi = Character.digit(s.charAt(percentAt + 1), 16);
        int lo = Character.digit(s.charAt(percentAt + 2), 16);
        if (hi < 0 || lo < 0 || s.charAt(percentAt + 1) > 127 || s.charAt(percentAt + 2) > 127) {
            throw new IllegalArgumentException("URI malformed");
        }
        return hi * 16 + lo;
    }
}
