package io.cragent.agent.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.RegistryEndpoint;
import io.cragent.registry.RegistrySettings;
import io.cragent.registry.http.HttpAnswer;
import io.cragent.registry.http.HttpCall;
import io.cragent.registry.http.LinkHeader;
import io.cragent.registry.http.RegistryHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A vendor's REST API (Harbor, Docker Hub, Quay, GitHub, …) over the registry transport: the same connection pool,
 * retries, timeouts, trusted CAs and address rules. An API that is not there (404, 405, 501, connection refused)
 * answers empty at once, so that the type falls back to the registry's catalog; one that answers 429 or 5xx is
 * retried first.
 */
public final class VendorApi {
    private static final Logger LOG = LoggerFactory.getLogger(VendorApi.class);
    private static final int BODY_CAP = 16 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryHttp http;
    private final RegistrySettings settings;

    public VendorApi(RegistryHttp http, RegistrySettings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** One JSON answer with the headers and URL that carried it. */
    public record Page(JsonNode json, HttpHeaders headers, URI uri) {
        /** The RFC 8288 {@code rel="next"} target, on the same origin only (our credentials go with it). */
        public Optional<URI> linkNext() {
            return LinkHeader.next(headers.allValues("Link"), uri).filter(next -> RegistryHttp.sameOrigin(next, uri));
        }
    }

    /**
     * A vendor API's base URL from configuration, held to the registry rules: https unless the host is listed as
     * insecure, and no loopback, link-local or metadata address unless allowed.
     */
    public RegistryEndpoint base(String url) {
        return RegistryEndpoint.parse(url, RegistryEndpoint.PathMeaning.API_PREFIX, settings);
    }

    /** Calls and reads the JSON answer; empty when the API is not there. Refusals become {@link AgentException}s. */
    public Optional<Page> fetch(HttpCall call, String what) {
        HttpAnswer answer;
        try {
            answer = http.sendToOptionalService(call);
        } catch (AgentException e) {
            if (e.getCause() instanceof ConnectException) {
                LOG.debug("{} unreachable; treating it as absent", what);
                return Optional.empty();
            }
            throw e;
        }
        try (answer) {
            int status = answer.status();
            if (status == 404 || status == 405 || status == 501) {
                LOG.debug("{} answered HTTP {}; treating it as absent", what, status);
                return Optional.empty();
            }
            if (!answer.isSuccess()) {
                throw refusal(status, what);
            }
            return Optional.of(new Page(JSON.readTree(answer.readBody(BODY_CAP)), answer.headers(), answer.uri()));
        } catch (HttpAnswer.BodyTooLargeException e) {
            throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, what + " sent more than " + BODY_CAP + " bytes");
        } catch (IOException | UncheckedIOException e) {
            throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, what + " sent an unreadable answer", e);
        }
    }

    /**
     * Every name of every page, de-duplicated in the API's order: {@code names} reads a page, {@code next} finds the
     * following page's URL. Empty when the first page is not there. Next pages must stay on the first page's origin;
     * a repeated URL or the page cap ends the walk.
     */
    public Optional<List<String>> walk(HttpCall first, String what, Function<Page, List<String>> names,
                                       Function<Page, Optional<URI>> next) {
        Optional<Page> page = fetch(first, what);
        if (page.isEmpty()) {
            return Optional.empty();
        }
        Set<String> all = new LinkedHashSet<>();
        Set<URI> seen = new HashSet<>(List.of(first.uri()));
        while (page.isPresent()) {
            all.addAll(names.apply(page.get()));
            Optional<URI> following = next.apply(page.get())
                    .filter(uri -> RegistryHttp.sameOrigin(uri, first.uri()) && seen.add(uri));
            if (following.isEmpty() || seen.size() > settings.pageCap()) {
                break;
            }
            page = fetch(first.withUri(following.get()), what);
        }
        return Optional.of(new ArrayList<>(all));
    }

    /** The realm a registry's Bearer challenge names at its API root, if it asks for a token. */
    public Optional<URI> realm(URI apiRoot) {
        try (HttpAnswer answer = http.send(HttpCall.get(apiRoot))) {
            return io.cragent.registry.auth.Challenge.preferred(answer.headerValues("WWW-Authenticate"))
                    .filter(io.cragent.registry.auth.Challenge::isBearer)
                    .flatMap(challenge -> challenge.param("realm"))
                    .flatMap(text -> {
                        try {
                            return Optional.of(URI.create(text));
                        } catch (IllegalArgumentException e) {
                            return Optional.empty();
                        }
                    });
        }
    }

    /** The non-empty texts of {@code field} in each element of a JSON array. */
    public static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> {
            String text = item.path(field).asText("");
            if (!text.isEmpty()) {
                out.add(text);
            }
        });
        return out;
    }

    /** A URL a vendor put in its answer, resolved against the answer's URL; empty when absent or unusable. */
    public static Optional<URI> link(Page page, JsonNode value) {
        String text = value.asText("");
        if (text.isEmpty() || value.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(page.uri().resolve(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static AgentException refusal(int status, String what) {
        return switch (status) {
            case 401 -> new AgentException(ErrorCode.AUTH_FAILED, what + " rejected the credentials");
            case 403 -> new AgentException(ErrorCode.ACCESS_DENIED, what + " denied access");
            case 429 -> new AgentException(ErrorCode.RATE_LIMITED, what + " rate-limited the agent");
            default -> new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, what + " answered HTTP " + status);
        };
    }
}
