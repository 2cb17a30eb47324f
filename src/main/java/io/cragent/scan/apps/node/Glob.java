package io.cragent.scan.apps.node;

import java.util.regex.Pattern;

/** Workspace globs ({@code packages/*}, {@code apps/**}) as regular expressions over slash paths. */
final class Glob {
    private Glob() {
    }

    static Pattern toPattern(String glob) {
        String normalized = glob.replace('\\', '/').replaceFirst("^\\./", "").replaceFirst("/+$", "");
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            if (c == '*' && i + 1 < normalized.length() && normalized.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
