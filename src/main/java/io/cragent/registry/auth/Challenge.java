package io.cragent.registry.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One RFC 7235 challenge of a {@code WWW-Authenticate} header: a scheme and its auth-params. A header may carry
 * several challenges, and a response several headers.
 */
public record Challenge(String scheme, Map<String, String> params) {

    public boolean isBearer() {
        return scheme.equalsIgnoreCase("bearer");
    }

    public boolean isBasic() {
        return scheme.equalsIgnoreCase("basic");
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
    }

    /** All challenges of all headers, in order; unreadable remainders are dropped rather than guessed at. */
    public static List<Challenge> parseAll(List<String> headers) {
        List<Challenge> challenges = new ArrayList<>();
        for (String header : headers) {
            new Parser(header).parseInto(challenges);
        }
        return challenges;
    }

    /** Bearer when offered, as registries that offer both expect; otherwise Basic. */
    public static Optional<Challenge> preferred(List<String> headers) {
        List<Challenge> all = parseAll(headers);
        return all.stream().filter(Challenge::isBearer).findFirst()
                .or(() -> all.stream().filter(Challenge::isBasic).findFirst());
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        void parseInto(List<Challenge> out) {
            while (pos < text.length()) {
                int start = pos;
                skipSeparators();
                String scheme = token();
                if (scheme.isEmpty()) {
                    return;
                }
                Map<String, String> params = new LinkedHashMap<>();
                while (true) {
                    skipSpaces();
                    int mark = pos;
                    String name = token();
                    skipSpaces();
                    if (name.isEmpty() || !peek('=')) {
                        pos = mark; // the next challenge's scheme, or the end
                        break;
                    }
                    pos++;
                    skipSpaces();
                    params.put(name.toLowerCase(Locale.ROOT), peek('"') ? quoted() : bareValue());
                    skipSpaces();
                    if (!peek(',')) {
                        break;
                    }
                    pos++;
                }
                out.add(new Challenge(scheme, Map.copyOf(params)));
                if (pos == start) {
                    return;
                }
            }
        }

        /** Unquoted values should be tokens; registries also send bare URLs, so read up to the next comma. */
        private String bareValue() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ',' && !Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private String token() {
            int start = pos;
            while (pos < text.length() && isTokenChar(text.charAt(pos))) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private String quoted() {
            StringBuilder value = new StringBuilder();
            pos++;
            while (pos < text.length() && text.charAt(pos) != '"') {
                char c = text.charAt(pos++);
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                value.append(c);
            }
            pos++;
            return value.toString();
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void skipSpaces() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private void skipSeparators() {
            while (pos < text.length() && (text.charAt(pos) == ',' || Character.isWhitespace(text.charAt(pos)))) {
                pos++;
            }
        }

        private static boolean isTokenChar(char c) {
            return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0;
        }
    }
}
