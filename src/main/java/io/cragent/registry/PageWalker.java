package io.cragent.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.http.HttpCall;
import io.cragent.registry.http.LinkHeader;
import io.cragent.registry.http.RegistryHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Follows {@code Link: <…>; rel="next"} through a paged list ({@code _catalog}, {@code tags/list}). A next link to
 * another origin is refused, a repeated URL or the page cap ends the walk.
 */
final class PageWalker {
    private static final Logger LOG = LoggerFactory.getLogger(PageWalker.class);
    static final int PAGE_BODY_CAP = 16 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One page: its names and the next page's URL, if any. */
    record Page(List<String> names, Optional<URI> next) {
    }

    private final RegistryCaller caller;
    private final int pageCap;

    PageWalker(RegistryCaller caller, int pageCap) {
        this.caller = caller;
        this.pageCap = pageCap;
    }

    Page page(RegistryCaller.Fetched answer, String field) {
        URI uri = answer.uri();
        List<String> next = answer.headers().allValues("Link");
        List<String> names = names(answer.body(), field);
        Optional<URI> nextUri = LinkHeader.next(next, uri).filter(candidate -> {
            boolean same = RegistryHttp.sameOrigin(candidate, uri);
            if (!same) {
                LOG.warn("ignoring a next-page link to another host ({}); the listing may be incomplete",
                        candidate.getAuthority());
            }
            return same;
        });
        return new Page(names, nextUri);
    }

    /** Every name of every page, de-duplicated in the registry's order. */
    List<String> walk(URI first, List<String> scopes, String field, ErrorCode notFound, String what) {
        return walk(first, scopes, field, notFound, what, false);
    }

    /**
     * As {@link #walk(URI, List, String, ErrorCode, String)}; {@code linkless}: a page without {@code Link} is
     * followed by {@code last=<its last name>} (Nexus group repositories page without links) until a page adds no
     * new name.
     */
    List<String> walk(URI first, List<String> scopes, String field, ErrorCode notFound, String what, boolean linkless) {
        Set<String> names = new java.util.LinkedHashSet<>();
        Set<URI> seen = new HashSet<>();
        Optional<URI> next = Optional.of(first);
        while (next.isPresent() && seen.add(next.get())) {
            if (seen.size() > pageCap) {
                LOG.warn("stopped listing {} after {} pages", what, pageCap);
                break;
            }
            Page page = page(caller.fetch(HttpCall.get(next.get()), scopes, notFound, what, PAGE_BODY_CAP), field);
            boolean advanced = names.addAll(page.names());
            next = page.next();
            if (next.isEmpty() && linkless && advanced) {
                next = Optional.of(withLast(first, page.names().get(page.names().size() - 1)));
            }
        }
        return new ArrayList<>(names);
    }

    /** The URI with its {@code last} parameter set to {@code name}. */
    private static URI withLast(URI uri, String name) {
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery().replaceAll("(^|&)last=[^&]*", "");
        query = query.replaceFirst("^&", "");
        String base = uri.toString();
        int q = base.indexOf('?');
        return URI.create((q < 0 ? base : base.substring(0, q)) + "?" + (query.isEmpty() ? "" : query + "&") + "last="
                + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<String> names(byte[] body, String field) {
        try {
            JsonNode array = JSON.readTree(body).path(field);
            List<String> out = new ArrayList<>();
            array.forEach(n -> out.add(n.asText())); // a null list reads as empty
            return out;
        } catch (IOException e) {
            throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "the registry sent an unreadable list");
        }
    }
}
