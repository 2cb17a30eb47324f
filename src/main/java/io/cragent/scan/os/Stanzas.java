package io.cragent.scan.os;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 822-style stanzas, as dpkg writes them: blank-line separated, {@code Field: value}, continuation lines
 * starting with a space or tab, field names case-insensitive (kept lower-case here).
 */
final class Stanzas {
    private Stanzas() {
    }

    static List<Map<String, String>> parse(String text) {
        List<Map<String, String>> stanzas = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        String lastField = null;
        for (String line : text.split("\\R", -1)) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    stanzas.add(current);
                    current = new LinkedHashMap<>();
                }
                lastField = null;
            } else if ((line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (lastField != null) {
                    current.merge(lastField, "\n" + line.trim(), String::concat);
                }
            } else {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    lastField = null; // garbage line: ignored, the stanza goes on
                    continue;
                }
                lastField = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                current.put(lastField, line.substring(colon + 1).trim());
            }
        }
        if (!current.isEmpty()) {
            stanzas.add(current);
        }
        return stanzas;
    }
}
