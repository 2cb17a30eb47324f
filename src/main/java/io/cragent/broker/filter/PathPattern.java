package io.cragent.broker.filter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's {@code path}, compiled as path-to-regexp 1.9 does with its defaults (broker-protocol.md §4.2):
 * case-insensitive, anchored, one optional trailing slash, {@code *} = any text (may be empty, may span
 * {@code /}), {@code :name} = one segment, everything else literal; matched against the raw, still
 * percent-encoded path.
 *
 * <p>Only {@code *}, {@code :name}, {@code \}-escapes and literals are accepted; custom captures {@code (…)}
 * and modifiers ({@code :name?}, {@code :name+}, {@code :name*}) are refused when the rules load.
 */
final class PathPattern {

    /** path-to-regexp's PATH_REGEXP, with ECMAScript's {@code .} spelled out. */
    private static final Pattern TOKENS = Pattern.compile(
            "(\\\\" + JsText.ANY_CHAR + ")"
                    + "|([/.])?(?:(?::(\\w+)(?:\\(((?:\\\\.|[^\\\\()])+)\\))?|\\(((?:\\\\.|[^\\\\()])+)\\))([+*?])?|(\\*))");

    private final String source;
    private final Pattern regex;

    private PathPattern(String source, Pattern regex) {
        this.source = source;
        this.regex = regex;
    }

    /**
     * Compiles a rule path; a path not starting with {@code /} gets one, as snyk does. The tokenizer is a
     * recursive java.util.regex: a path long and odd enough overflows the stack (found by fuzzing), which is a
     * refused rule here, not an error that stops the client.
     */
    static PathPattern compile(String rulePath) {
        try {
            return tokenize(rulePath);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("path of " + rulePath.length() + " characters is too complex to compile");
        }
    }

    private static PathPattern tokenize(String rulePath) {
        String path = rulePath == null ? "" : rulePath;
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        StringBuilder route = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        String lastLiteral = "";
        boolean endsWithSlash = false;
        Matcher m = TOKENS.matcher(path);
        int index = 0;
        while (m.find()) {
            literal.append(path, index, m.start());
            index = m.end();
            if (m.group(1) != null) {
                literal.append(m.group(1).charAt(1));
                continue;
            }
            if (m.group(4) != null || m.group(5) != null) {
                throw new IllegalArgumentException("path '" + rulePath + "': custom capture groups are not supported");
            }
            if (m.group(6) != null) {
                throw new IllegalArgumentException("path '" + rulePath + "': parameter modifier '" + m.group(6)
                        + "' is not supported (only *, :name and literals)");
            }
            if (literal.length() > 0) {
                lastLiteral = literal.toString();
                route.append(quote(lastLiteral));
                literal.setLength(0);
            }
            String prefix = m.group(2) == null ? "" : m.group(2);
            String delimiter = prefix.isEmpty() ? "/" : prefix;
            String prevText = !prefix.isEmpty() ? prefix : lastLiteral;
            String pattern = m.group(7) != null ? JsText.ANY_CHAR + "*" : restrictBacktrack(delimiter, prevText);
            route.append(quote(prefix)).append("(?:").append(pattern).append(')');
            lastLiteral = "";
        }
        literal.append(path.substring(index));
        if (literal.length() > 0) {
            String text = literal.toString();
            endsWithSlash = text.endsWith("/");
            route.append(quote(endsWithSlash ? text.substring(0, text.length() - 1) : text));
        }
        // Non-strict mode: one optional trailing slash; a rule ending in '/' has it removed first.
        route.append("/?");
        return new PathPattern(rulePath, Pattern.compile(route.toString()));
    }

    /** path-to-regexp 1.9's ReDoS guard for a parameter that follows text without a delimiter. */
    private static String restrictBacktrack(String delimiter, String prevText) {
        String notDelimiter = "/".equals(delimiter) ? "[^/]" : "[^.]";
        if (prevText.isEmpty() || prevText.contains(delimiter)) {
            return notDelimiter + "+?";
        }
        String prev = quote(prevText);
        return prev + "|(?:(?!" + prev + ")" + notDelimiter + ")+?";
    }

    private static String quote(String literal) {
        return literal.isEmpty() ? "" : Pattern.quote(JsText.canonicalize(literal));
    }

    boolean matches(String rawPath) {
        return regex.matcher(JsText.canonicalize(rawPath)).matches();
    }

    @Override
    public String toString() {
        return source;
    }
}
