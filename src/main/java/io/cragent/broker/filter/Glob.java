package io.cragent.broker.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code valid[].values} pattern for a query parameter, with minimatch 3.1's semantics and snyk's option
 * {@code dot: true} (broker-protocol.md §4.3): {@code *} and {@code ?} stay within one {@code /}-separated
 * segment, {@code **} spans segments, {@code [...]} classes, {@code \} escapes, leading {@code !} negates,
 * a leading {@code #} never matches, a blank pattern matches only the empty value, and {@code *} needs at least
 * one character. Brace expansion and extglobs ({@code +(a|b)}) are refused when the rules load.
 */
final class Glob {

    private static final Object GLOBSTAR = new Object();
    private static final String STAR = "[^/]*?";
    private static final String QMARK = "[^/]";
    private static final String RE_SPECIALS = "().*{}+?[]^$\\!";
    private static final Pattern BRACES = Pattern.compile("\\{(?:(?!\\{)" + JsText.ANY_CHAR + ")*\\}");
    private static final Pattern SLASHES = Pattern.compile("/+");

    private final String source;
    private final boolean comment;
    private final boolean empty;
    private final boolean negate;
    /** Segment matchers: {@link #GLOBSTAR}, a literal String, or a Pattern. */
    private final List<Object> segments;

    private Glob(String source, boolean comment, boolean empty, boolean negate, List<Object> segments) {
        this.source = source;
        this.comment = comment;
        this.empty = empty;
        this.negate = negate;
        this.segments = segments;
    }

    static Glob compile(String raw) {
        if (raw.startsWith("#")) {
            return new Glob(raw, true, false, false, List.of());
        }
        String pattern = jsTrim(raw);
        if (pattern.startsWith("#")) {
            return new Glob(raw, true, false, false, List.of());
        }
        if (pattern.isEmpty()) {
            return new Glob(raw, false, true, false, List.of());
        }
        int bangs = 0;
        while (bangs < pattern.length() && pattern.charAt(bangs) == '!') {
            bangs++;
        }
        pattern = pattern.substring(bangs);
        if (BRACES.matcher(pattern).find()) {
            throw new IllegalArgumentException("value pattern '" + raw + "': brace expansion is not supported");
        }
        List<Object> segments = new ArrayList<>();
        for (String segment : jsSplit(pattern)) {
            segments.add(parseSegment(segment, raw));
        }
        return new Glob(raw, false, false, bangs % 2 == 1, List.copyOf(segments));
    }

    boolean isCommentOrEmpty() {
        return comment || empty;
    }

    /** minimatch(value, pattern): the value is a string here; non-strings are handled by the caller. */
    boolean matches(String value) {
        if (comment) {
            return false;
        }
        if (empty) {
            return value.isEmpty();
        }
        List<String> file = jsSplit(value);
        boolean hit = segments.contains(GLOBSTAR) ? matchGlobstar(file, segments, 0, 0) : matchOne(file, segments, 0, 0);
        return hit != negate;
    }

    /** {@code "x".split(/\/+/)} in JavaScript (keeps leading and trailing empty strings). */
    private static List<String> jsSplit(String text) {
        return Arrays.asList(SLASHES.split(text, -1));
    }

    private static Object parseSegment(String pattern, String raw) {
        if (pattern.equals("**")) {
            return GLOBSTAR;
        }
        if (pattern.isEmpty()) {
            return "";
        }
        StringBuilder re = new StringBuilder();
        boolean hasMagic = false;
        boolean escaping = false;
        char stateChar = 0;
        boolean inClass = false;
        int classStart = -1;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escaping && RE_SPECIALS.indexOf(c) >= 0) {
                re.append('\\').append(c);
                escaping = false;
                continue;
            }
            switch (c) {
                case '\\' -> {
                    hasMagic |= flush(re, stateChar);
                    stateChar = 0;
                    escaping = true;
                }
                case '?', '*', '+', '@', '!' -> {
                    if (inClass) {
                        re.append(c == '!' && i == classStart + 1 ? '^' : c);
                        continue;
                    }
                    if (c == '*' && stateChar == '*') {
                        continue;
                    }
                    hasMagic |= flush(re, stateChar);
                    stateChar = c;
                }
                case '(' -> {
                    if (inClass) {
                        re.append("\\(");
                    } else if (stateChar == 0) {
                        re.append("\\(");
                    } else {
                        throw new IllegalArgumentException("value pattern '" + raw + "': extglob patterns are not supported");
                    }
                }
                case '[' -> {
                    hasMagic |= flush(re, stateChar);
                    stateChar = 0;
                    if (inClass) {
                        re.append("\\[");
                    } else {
                        inClass = true;
                        classStart = i;
                        re.append('[');
                    }
                }
                case ']' -> {
                    if (i == classStart + 1 || !inClass) {
                        re.append("\\]");
                        escaping = false;
                    } else {
                        hasMagic = true;
                        inClass = false;
                        re.append(']');
                    }
                }
                default -> {
                    hasMagic |= flush(re, stateChar);
                    stateChar = 0;
                    if (escaping) {
                        escaping = false;
                        appendLiteral(re, c, inClass);
                    } else if (c == '^' && inClass) {
                        re.append('^');
                    } else if (inClass && c == '-') {
                        re.append('-');
                    } else {
                        appendLiteral(re, c, inClass);
                    }
                }
            }
        }
        if (inClass) {
            throw new IllegalArgumentException("value pattern '" + raw + "': unterminated character class");
        }
        hasMagic |= flush(re, stateChar);
        if (escaping) {
            re.append("\\\\");
        }
        if (!hasMagic) {
            return pattern.replaceAll("\\\\(" + JsText.ANY_CHAR + ")", "$1");
        }
        boolean patternStart = re.length() > 0 && (re.charAt(0) == '[' || re.charAt(0) == '.' || re.charAt(0) == '(');
        String body = "(?=" + JsText.ANY_CHAR + ")" + re;
        if (patternStart) {
            body = "(?!\\.{1,2}\\z)" + body;
        }
        try {
            return Pattern.compile(body);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("value pattern '" + raw + "': unsupported character class");
        }
    }

    /** Writes a pending {@code *}, {@code ?} or literal modifier character; true when it was magic. */
    private static boolean flush(StringBuilder re, char stateChar) {
        switch (stateChar) {
            case 0 -> {
                return false;
            }
            case '*' -> {
                re.append(STAR);
                return true;
            }
            case '?' -> {
                re.append(QMARK);
                return true;
            }
            default -> {
                re.append('\\').append(stateChar);
                return false;
            }
        }
    }

    private static void appendLiteral(StringBuilder re, char c, boolean inClass) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 128 || c == '_') {
            re.append(c);
        } else if (c < 0x20) {
            re.append(String.format("\\x%02x", (int) c));
        } else if (inClass && c != '&' && c != '[' && c != ']' && c != '\\' && c != '^' && c != '-') {
            re.append(c);
        } else {
            re.append('\\').append(c);
        }
    }

    private boolean matchGlobstar(List<String> file, List<Object> pattern, int fileIndex, int patternIndex) {
        int firstgs = pattern.indexOf(GLOBSTAR);
        int lastgs = pattern.lastIndexOf(GLOBSTAR);
        List<Object> head = pattern.subList(patternIndex, firstgs);
        List<Object> body = firstgs < lastgs ? pattern.subList(firstgs + 1, lastgs) : List.of();
        List<Object> tail = pattern.subList(lastgs + 1, pattern.size());
        if (!head.isEmpty()) {
            List<String> fileHead = file.subList(fileIndex, Math.min(file.size(), fileIndex + head.size()));
            if (!matchOne(fileHead, head, 0, 0)) {
                return false;
            }
            fileIndex += head.size();
        }
        int fileTailMatch = 0;
        if (!tail.isEmpty()) {
            if (tail.size() + fileIndex > file.size()) {
                return false;
            }
            int tailStart = file.size() - tail.size();
            if (matchOne(file, tail, tailStart, 0)) {
                fileTailMatch = tail.size();
            } else {
                if (!file.get(file.size() - 1).isEmpty() || fileIndex + tail.size() == file.size()) {
                    return false;
                }
                tailStart--;
                if (!matchOne(file, tail, tailStart, 0)) {
                    return false;
                }
                fileTailMatch = tail.size() + 1;
            }
        }
        if (body.isEmpty()) {
            boolean sawSome = fileTailMatch > 0;
            for (int i = fileIndex; i < file.size() - fileTailMatch; i++) {
                String f = file.get(i);
                sawSome = true;
                if (f.equals(".") || f.equals("..")) {
                    return false;
                }
            }
            return sawSome;
        }
        List<List<Object>> sections = new ArrayList<>();
        List<Integer> nonGsPartsSums = new ArrayList<>(List.of(0));
        List<Object> current = new ArrayList<>();
        sections.add(current);
        int nonGsParts = 0;
        for (Object b : body) {
            if (b == GLOBSTAR) {
                nonGsPartsSums.add(nonGsParts);
                current = new ArrayList<>();
                sections.add(current);
            } else {
                current.add(b);
                nonGsParts++;
            }
        }
        int[] after = new int[sections.size()];
        int idx = sections.size() - 1;
        int fileLength = file.size() - fileTailMatch;
        for (int si = 0; si < sections.size(); si++) {
            after[si] = fileLength - (nonGsPartsSums.get(idx--) + sections.get(si).size());
        }
        return Boolean.TRUE.equals(matchSections(file, sections, after, fileIndex, 0, 0, fileTailMatch > 0));
    }

    /** minimatch's _matchGlobStarBodySections: null means "no match here, keep looking". */
    private Boolean matchSections(List<String> file, List<List<Object>> sections, int[] after, int fileIndex,
            int sectionIndex, int depth, boolean sawTail) {
        if (sectionIndex >= sections.size()) {
            for (int i = fileIndex; i < file.size(); i++) {
                sawTail = true;
                String f = file.get(i);
                if (f.equals(".") || f.equals("..")) {
                    return false;
                }
            }
            return sawTail;
        }
        List<Object> body = sections.get(sectionIndex);
        while (fileIndex <= after[sectionIndex]) {
            boolean m = matchOne(file.subList(0, Math.min(file.size(), fileIndex + body.size())), body, fileIndex, 0);
            if (m && depth < 200) {
                Boolean sub = matchSections(file, sections, after, fileIndex + body.size(), sectionIndex + 1, depth + 1,
                        sawTail);
                if (!Boolean.FALSE.equals(sub)) {
                    return sub;
                }
            }
            if (fileIndex >= file.size()) {
                return null;
            }
            String f = file.get(fileIndex);
            if (f.equals(".") || f.equals("..")) {
                return false;
            }
            fileIndex++;
        }
        return null;
    }

    private static boolean matchOne(List<String> file, List<Object> pattern, int fileIndex, int patternIndex) {
        int fi = fileIndex;
        int pi = patternIndex;
        int fl = file.size();
        int pl = pattern.size();
        for (; fi < fl && pi < pl; fi++, pi++) {
            Object p = pattern.get(pi);
            String f = file.get(fi);
            if (p == GLOBSTAR) {
                return false;
            }
            boolean hit = p instanceof String s ? f.equals(s) : ((Pattern) p).matcher(f).matches();
            if (!hit) {
                return false;
            }
        }
        if (fi == fl && pi == pl) {
            return true;
        } else if (fi == fl) {
            return false;
        }
        return fi == fl - 1 && file.get(fi).isEmpty();
    }

    /** ECMAScript String.prototype.trim (white space and line terminators, BOM included). */
    static String jsTrim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isJsWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isJsWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    static boolean isJsWhitespace(char c) {
        return c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == ' ' || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000 || c == 0xFEFF;
    }

    @Override
    public String toString() {
        return source;
    }
}
