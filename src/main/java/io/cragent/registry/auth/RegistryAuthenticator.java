package io.cragent.registry.auth;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.http.HttpAnswer;
import io.cragent.registry.http.HttpCall;
import io.cragent.registry.http.RegistryHttp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Chooses the {@code Authorization} value for calls to one registry: learns the scheme by probing {@code /v2/} once,
 * then sends Basic, or a Bearer token per scope set from a cache shared by all calls (one fetch at a time per key).
 * Tokens are fetched with the Basic credentials, or, when the user name marks the password as a refresh token
 * (ACR's null GUID), by the refresh-token grant.
 */
public final class RegistryAuthenticator {
    private final URI apiRoot;
    private final String basicAuthorization;
    private final String refreshToken;
    private final RegistryHttp http;
    private final RealmPolicy realms;
    private final TokenExchange exchange;
    private final Clock clock;
    private final ConcurrentMap<TokenKey, CompletableFuture<BearerToken>> tokens = new ConcurrentHashMap<>();
    private volatile Optional<Challenge> challenge;

    /**
     * @param apiRoot the registry's API root, ending in {@code /v2/}
     */
    public RegistryAuthenticator(URI apiRoot, String username, String password, RegistryHttp http,
                                 RealmPolicy realms, Clock clock) {
        this.apiRoot = apiRoot;
        this.basicAuthorization = username == null || username.isEmpty() && (password == null || password.isEmpty())
                ? null : "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.refreshToken = TokenExchange.REFRESH_TOKEN_USER.equals(username) && password != null && !password.isEmpty()
                ? password : null;
        this.http = http;
        this.realms = realms;
        this.clock = clock;
        this.exchange = new TokenExchange(http, clock);
    }

    /** The value to send for a call that needs {@code scopes}; null means anonymous. */
    public String authorization(List<String> scopes) {
        return authorizationFor(learnedChallenge(), scopes, false);
    }

    /**
     * After a 401: authenticates again once, with the scope the registry asked for first, followed by the ones we
     * asked for (some registries read only the first).
     */
    public String reauthorize(List<String> wwwAuthenticate, List<String> scopes) {
        Optional<Challenge> fresh = Challenge.preferred(wwwAuthenticate);
        if (fresh.isEmpty()) {
            throw new AgentException(ErrorCode.AUTH_FAILED, "the registry refused the request without a challenge");
        }
        challenge = fresh;
        List<String> wanted = new ArrayList<>(new LinkedHashSet<>(concat(fresh.get().param("scope"), scopes)));
        return authorizationFor(fresh, wanted, true);
    }

    /** A token for another host that a registry redirected to: anonymous, and only from that host's own realm. */
    public String anonymousFor(URI target, List<String> wwwAuthenticate) {
        Challenge foreign = Challenge.preferred(wwwAuthenticate).filter(Challenge::isBearer)
                .orElseThrow(() -> new AgentException(ErrorCode.AUTH_FAILED,
                        "a redirect target asked for credentials we do not send outside the registry"));
        URI realm = realms.check(foreign.param("realm").orElse(""), target);
        List<String> scopes = foreign.param("scope").map(List::of).orElse(List.of());
        return "Bearer " + exchange.fetch(realm, foreign.param("service").orElse(null), scopes, null, null).value();
    }

    private String authorizationFor(Optional<Challenge> known, List<String> scopes, boolean renew) {
        if (known.isEmpty()) {
            return basicAuthorization == null ? null : renew ? basicAuthorization : null;
        }
        Challenge c = known.get();
        if (c.isBasic()) {
            if (basicAuthorization == null) {
                throw new AgentException(ErrorCode.AUTH_FAILED, "the registry requires credentials and none were given");
            }
            return basicAuthorization;
        }
        if (!c.isBearer()) {
            throw new AgentException(ErrorCode.UNSUPPORTED, "the registry asks for unsupported authentication: "
                    + c.scheme().replaceAll("[^A-Za-z0-9-]", "?"));
        }
        URI realm = realms.check(c.param("realm").orElse(""), apiRoot);
        TokenKey key = new TokenKey(realm.toString(), c.param("service").orElse(""), new TreeSet<>(scopes));
        if (renew) {
            tokens.remove(key);
        }
        return "Bearer " + token(key, realm, c.param("service").orElse(null), scopes).value();
    }

    /** Single flight: the caller whose future enters the cache fetches; concurrent callers wait for it. */
    private BearerToken token(TokenKey key, URI realm, String service, List<String> scopes) {
        CompletableFuture<BearerToken> mine = new CompletableFuture<>();
        CompletableFuture<BearerToken> current = tokens.compute(key, (k, existing) ->
                existing != null && (!existing.isDone() || usable(existing)) ? existing : mine);
        if (current == mine) {
            try {
                mine.complete(exchange.fetch(realm, service, scopes, basicAuthorization, refreshToken));
            } catch (RuntimeException e) {
                tokens.remove(key, mine);
                mine.completeExceptionally(e);
            }
        }
        try {
            return current.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private boolean usable(CompletableFuture<BearerToken> done) {
        return !done.isCompletedExceptionally() && done.join().usableAt(clock.instant());
    }

    private Optional<Challenge> learnedChallenge() {
        Optional<Challenge> known = challenge;
        if (known == null) {
            synchronized (this) {
                if (challenge == null) {
                    challenge = probe();
                }
                known = challenge;
            }
        }
        return known;
    }

    private Optional<Challenge> probe() {
        try (HttpAnswer answer = http.send(HttpCall.get(apiRoot))) {
            if (answer.isSuccess()) {
                return Optional.empty();
            }
            if (answer.status() == 401) {
                return Challenge.preferred(answer.headerValues("WWW-Authenticate"));
            }
            throw new AgentException(answer.status() >= 500 ? ErrorCode.REGISTRY_UNAVAILABLE : ErrorCode.NOT_FOUND,
                    "the registry's API root " + apiRoot.getPath() + " answered HTTP " + answer.status()
                            + "; is registryBase a container registry?");
        }
    }

    private static List<String> concat(Optional<String> first, List<String> rest) {
        List<String> all = new ArrayList<>();
        first.ifPresent(all::add);
        all.addAll(rest);
        return all;
    }

    private record TokenKey(String realm, String service, TreeSet<String> scopes) {
    }
}
