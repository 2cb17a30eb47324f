package io.cragent.broker.filter;

import java.util.Locale;

/** Small pieces of ECMAScript string semantics that snyk's matching depends on. */
final class JsText {

    private JsText() {
    }

    /**
     * ECMAScript's Canonicalize for a non-unicode case-insensitive RegExp: upper case when that is one code unit,
     * and never mapping a non-ASCII character onto ASCII. Matching canonicalized strings case-sensitively equals
     * matching with the {@code i} flag.
     */
    static String canonicalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 128) {
                out.append(ch >= 'a' && ch <= 'z' ? (char) (ch - 32) : ch);
                continue;
            }
            String upper = String.valueOf(ch).toUpperCase(Locale.ROOT);
            out.append(upper.length() == 1 && upper.charAt(0) >= 128 ? upper.charAt(0) : ch);
        }
        return out.toString();
    }

    /** A Java regex fragment matching one character that ECMAScript's {@code .} matches (no line terminators). */
    static final String ANY_CHAR = "[^\\n\\r\\u2028\\u2029]";
}
