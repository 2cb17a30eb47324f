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
        Set<String> names = new java.util.LinkedHashSet<>();
        Set<URI> seen = new HashSet<>();
        Optional<URI> next = Optional.of(first);
        while (next.isPresent() && seen.add(next.get())) {
            if (seen.size() > pageCap) {
                LOG.warn("stopped listing {} after {} pages", what, pageCap);
                break;
            }
            Page page = page(caller.fetch(HttpCall.get(next.get()), scopes, notFound, what, PAGE_BODY_CAP), field);
            names.addAll(page.names());
            next = page.next();
        }
        return new ArrayList<>(names);
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
