package io.cragent.agent.types;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The paging schemes of vendor APIs that number their pages instead of linking them. */
public final class VendorPages {
    private VendorPages() {
    }

    /**
     * The next numbered page: the {@code Link} header when there is one, else {@code page + 1} while a total count
     * header says more items remain (Harbor's {@code X-Total-Count}).
     */
    public static Optional<URI> numbered(VendorApi.Page page, String totalHeader) {
        Optional<URI> link = page.linkNext();
        if (link.isPresent()) {
            return link;
        }
        long total = page.headers().firstValue(totalHeader).map(VendorPages::number).orElse(-1L);
        long current = query(page.uri(), "page").map(VendorPages::number).orElse(1L);
        long size = query(page.uri(), "page_size").map(VendorPages::number).orElse(-1L);
        if (total < 0 || size <= 0 || current * size >= total || page.json().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(withQuery(page.uri(), "page", String.valueOf(current + 1)));
    }

    /** The URI with one query parameter set (replaced, or added at the end); the value is encoded here. */
    public static URI withQuery(URI uri, String name, String value) {
        String query = uri.getRawQuery();
        List<String> pairs = new ArrayList<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (!pair.isEmpty() && !pair.startsWith(name + "=") && !pair.equals(name)) {
                    pairs.add(pair);
                }
            }
        }
        pairs.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        String base = uri.toString();
        int q = base.indexOf('?');
        return URI.create((q < 0 ? base : base.substring(0, q)) + "?" + String.join("&", pairs));
    }

    /** A query parameter's raw value. */
    public static Optional<String> query(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return Optional.of(pair.substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** One path segment, percent-encoded ({@code /} included). */
    public static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
