package io.cragent.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.http.HttpAnswer;
import io.cragent.registry.http.HttpCall;
import io.cragent.registry.http.RegistryHttp;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The distribution token protocol: {@code GET <realm>?service=…&scope=…}, with Basic credentials when we have them;
 * or, for a refresh token, the OAuth2 variant {@code POST <realm>} with {@code grant_type=refresh_token} (ACR's
 * documented flow), falling back to the GET when the realm does not take POSTs (404, 405).
 */
final class TokenExchange {
    /**
     * The user name that marks the password as a refresh token: ACR's null GUID, which {@code az acr login} and
     * ACR's documentation use for a refresh token given to {@code docker login}.
     */
    static final String REFRESH_TOKEN_USER = "00000000-0000-0000-0000-000000000000";
    private static final String CLIENT_ID = "cr-agent";

    private static final int TOKEN_RESPONSE_CAP = 1024 * 1024;
    private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    private static final Duration EXPIRY_SKEW = Duration.ofSeconds(10);

    private final RegistryHttp http;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    TokenExchange(RegistryHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /**
     * @param refreshToken when not null, tried first as an OAuth2 refresh-token grant; {@code basicAuthorization}
     *                     then serves only the GET fallback
     */
    BearerToken fetch(URI realm, String service, List<String> scopes, String basicAuthorization, String refreshToken) {
        if (refreshToken != null) {
            HttpCall post = HttpCall.postForm(realm, refreshGrant(service, scopes, refreshToken));
            try (HttpAnswer answer = http.send(post)) {
                if (answer.status() != 404 && answer.status() != 405) {
                    return read(answer);
                }
            }
        }
        HttpCall call = HttpCall.get(tokenUri(realm, service, scopes)).withAuthorization(basicAuthorization);
        try (HttpAnswer answer = http.send(call)) {
            return read(answer);
        }
    }

    private BearerToken read(HttpAnswer answer) {
        if (answer.status() == 401) {
            throw new AgentException(ErrorCode.AUTH_FAILED,
                    "the registry's token service rejected the credentials (HTTP 401)");
        }
        if (answer.status() == 403) {
            throw new AgentException(ErrorCode.ACCESS_DENIED, "the registry's token service denied access");
        }
        if (!answer.isSuccess()) {
            throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE,
                    "the registry's token service answered HTTP " + answer.status());
        }
        return parse(answer.readBody(TOKEN_RESPONSE_CAP));
    }

    private BearerToken parse(byte[] body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "the registry's token service sent no JSON");
        }
        String token = node.path("token").asText(node.path("access_token").asText(""));
        if (token.isEmpty()) {
            token = node.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "the registry's token service sent no token");
        }
        long expiresIn = node.path("expires_in").asLong(0);
        Duration lifetime = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_LIFETIME;
        Instant issuedAt = issuedAt(node.path("issued_at").asText(null));
        Instant renewAt = issuedAt.plus(lifetime).minus(lifetime.compareTo(EXPIRY_SKEW.multipliedBy(2)) > 0
                ? EXPIRY_SKEW : lifetime.dividedBy(2));
        return new BearerToken(token, renewAt);
    }

    private Instant issuedAt(String text) {
        if (text != null) {
            try {
                Instant parsed = Instant.parse(text);
                // A registry clock far off ours would make every token look expired or eternal.
                if (Duration.between(parsed, clock.instant()).abs().compareTo(Duration.ofMinutes(5)) < 0) {
                    return parsed;
                }
            } catch (DateTimeParseException ignored) {
                // fall through to the local receive time, as the token spec says
            }
        }
        return clock.instant();
    }

    private static URI tokenUri(URI realm, String service, List<String> scopes) {
        StringBuilder query = serviceAndScopes(service, scopes);
        String base = realm.toString();
        if (query.length() == 0) {
            return realm;
        }
        return URI.create(base + (realm.getRawQuery() == null ? "?" : "&") + query);
    }

    private static String refreshGrant(String service, List<String> scopes, String refreshToken) {
        StringBuilder form = new StringBuilder("grant_type=refresh_token");
        StringBuilder rest = serviceAndScopes(service, scopes);
        if (rest.length() > 0) {
            form.append('&').append(rest);
        }
        return form.append("&client_id=").append(CLIENT_ID).append("&refresh_token=").append(encode(refreshToken))
                .toString();
    }

    private static StringBuilder serviceAndScopes(String service, List<String> scopes) {
        StringBuilder query = new StringBuilder();
        if (service != null && !service.isEmpty()) {
            query.append("service=").append(encode(service));
        }
        for (String scope : scopes) {
            query.append(query.length() > 0 ? "&" : "").append("scope=").append(encode(scope));
        }
        return query;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
