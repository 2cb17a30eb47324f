package io.cragent.broker.filter;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates an ECMAScript regular expression (no flags, as snyk compiles {@code valid[].regex} with
 * {@code new RegExp(regex)}) into an equivalent Java pattern for {@code find()}: {@code .} and {@code $} without
 * Java's extra line terminators, {@code \s} with ECMAScript's white space, ASCII {@code \b}, {@code [^]} and
 * {@code []}, literal {@code [} and {@code &} inside classes, a lone {@code {} as text, and identity escapes of
 * letters ({@code \p} is {@code p}). What cannot be translated is refused when the rules load.
 */
final class JsRegex {

    private static final String WS = "\\t\\n\\x0B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";
    private static final String WORD = "[A-Za-z0-9_]";
    private static final Pattern QUANTIFIER = Pattern.compile("\\{\\d+(,\\d*)?}");

    private JsRegex() {
    }

    static Pattern compile(String source) {
        StringBuilder out = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\') {
                if (i + 1 >= source.length()) {
                    throw invalid(source, "trailing backslash");
                }
                char e = source.charAt(++i);
                i = escape(source, i, e, inClass, out);
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                    out.append(']');
                } else if (c == '[' || c == '&') {
                    out.append('\\').append(c);
                } else {
                    out.append(c);
                }
                continue;
            }
            switch (c) {
                case '[' -> {
                    if (source.startsWith("[^]", i)) {
                        out.append("[\\s\\S]");
                        i += 2;
                    } else if (source.startsWith("[]", i)) {
                        out.append("(?!)");
                        i += 1;
                    } else {
                        inClass = true;
                        out.append('[');
                        if (i + 1 < source.length() && source.charAt(i + 1) == '^') {
                            out.append('^');
                            i++;
                        }
                    }
                }
                case '.' -> out.append(JsText.ANY_CHAR);
                case '$' -> out.append("\\z");
                case '{' -> {
                    var m = QUANTIFIER.matcher(source).region(i, source.length());
                    if (m.lookingAt()) {
                        out.append(m.group());
                        i = m.end() - 1;
                    } else {
                        out.append("\\{");
                    }
                }
                case '}' -> out.append("\\}");
                default -> out.append(c);
            }
        }
        if (inClass) {
            throw invalid(source, "unterminated character class");
        }
        try {
            return Pattern.compile(out.toString());
        } catch (PatternSyntaxException e) {
            throw invalid(source, e.getDescription());
        }
    }

    private static int escape(String source, int i, char e, boolean inClass, StringBuilder out) {
        switch (e) {
            case 'd', 'D', 'w', 'W', 't', 'n', 'v', 'f', 'r' -> out.append(e == 'v' ? "\\x0B" : "\\" + e);
            case 's' -> out.append(inClass ? WS : "[" + WS + "]");
            case 'S' -> {
                if (inClass) {
                    throw invalid(source, "\\S inside a character class");
                }
                out.append("[^" + WS + "]");
            }
            case 'b' -> out.append(inClass ? "\\x08"
                    : "(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))");
            case 'B' -> {
                if (inClass) {
                    out.append('B');
                } else {
                    out.append("(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))");
                }
            }
            case 'x', 'u', 'c' -> out.append('\\').append(e);
            case 'k' -> out.append(inClass ? "k" : "\\k");
            case '0' -> {
                if (i + 1 < source.length() && Character.isDigit(source.charAt(i + 1))) {
                    throw invalid(source, "octal escapes are not supported");
                }
                out.append("\\x00");
            }
            default -> {
                if (e >= '1' && e <= '9') {
                    if (inClass) {
                        throw invalid(source, "octal escapes are not supported");
                    }
                    out.append('\\').append(e);
                } else if (Character.isLetterOrDigit(e)) {
                    out.append(e);
                } else {
                    out.append('\\').append(e);
                }
            }
        }
        return i;
    }

    private static IllegalArgumentException invalid(String source, String why) {
        return new IllegalArgumentException("regex '" + source + "': " + why);
    }
}
