package io.cragent.registry.http;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code rel="next"} target of RFC 8288 {@code Link} headers, resolved against the request URL. */
public final class LinkHeader {
    private static final Pattern LINK_VALUE = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,=]+\\s*=\\s*(?:\"[^\"]*\"|[^;,]*))*)");
    private static final Pattern REL = Pattern.compile("(?i)\\brel\\s*=\\s*(?:\"([^\"]*)\"|([^;,\\s]+))");

    private LinkHeader() {
    }

    public static Optional<URI> next(List<String> headerValues, URI requestUri) {
        for (String header : headerValues) {
            Matcher link = LINK_VALUE.matcher(header);
            while (link.find()) {
                if (hasNextRel(link.group(2))) {
                    return Optional.of(requestUri.resolve(link.group(1).trim()));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasNextRel(String params) {
        Matcher rel = REL.matcher(params);
        while (rel.find()) {
            String values = rel.group(1) != null ? rel.group(1) : rel.group(2);
            for (String value : values.trim().split("\\s+")) {
                if (value.toLowerCase(Locale.ROOT).equals("next")) {
                    return true;
                }
            }
        }
        return false;
    }
}
