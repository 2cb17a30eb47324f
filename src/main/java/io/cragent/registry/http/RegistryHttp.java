package io.cragent.registry.http;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.http.ProxyRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Sends registry calls: retries with backoff on 408/429/5xx and I/O faults, and follows redirects by hand, so that
 * {@code Authorization} never reaches another origin (S3 refuses a second auth mechanism, and a hostile registry
 * must not collect our credentials). Every hop goes through {@link AddressCheckedClient}: one whose host points
 * where the agent never calls fails the call with {@code REGISTRY_NOT_ALLOWED}, unsent and not retried.
 */
public final class RegistryHttp {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final AddressCheckedClient client;
    private final HttpSettings settings;
    private final RetryPolicy retry;
    private final Predicate<URI> plainHttpAllowed;

    /** @param allowLoopback whether registries and their realms may be on this machine ({@link AddressCheckedClient}) */
    public RegistryHttp(HttpSettings settings, Predicate<URI> plainHttpAllowed, boolean allowLoopback) {
        this.settings = settings;
        this.retry = new RetryPolicy(settings, Clock.systemUTC());
        this.plainHttpAllowed = plainHttpAllowed;
        this.client = new AddressCheckedClient(settings.connectTimeout(), TlsTrust.lazySslContext(settings.caBundle()),
                settings.proxy(), allowLoopback);
    }

    /** Sends the call, retrying what may be retried. Non-retryable statuses come back to the caller to map. */
    public HttpAnswer send(HttpCall call) {
        return send(call, true);
    }

    /**
     * As {@link #send}, except that a refused connection fails at once: for a service that may simply not be there
     * (a vendor API), where waiting through the retries only delays the fallback. A service that answers is
     * retried as usual (429, 5xx, broken connections).
     */
    public HttpAnswer sendToOptionalService(HttpCall call) {
        return send(call, false);
    }

    private HttpAnswer send(HttpCall call, boolean retryRefused) {
        String host = call.uri().getAuthority();
        for (int attempt = 0; ; attempt++) {
            boolean lastAttempt = attempt >= retry.maxRetries();
            HttpAnswer answer;
            try {
                retry.awaitHost(host);
                answer = followRedirects(call);
            } catch (SSLException e) {
                throw new AgentException(ErrorCode.TLS_ERROR, "TLS handshake with " + host + " failed ("
                        + e.getMessage() + "); if the registry uses a private CA, set CA_CERT", e);
            } catch (IOException e) {
                if (lastAttempt || !retryRefused && e instanceof ConnectException) {
                    throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE,
                            "registry " + host + " unreachable: " + describe(e), e);
                }
                pause(call, retry.backoff(attempt), describe(e));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "interrupted while calling " + host, e);
            }
            if (answer.status() == 407) {
                answer.close();
                throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "registry " + host + " unreachable: "
                        + ProxyRules.refusal(settings.proxy(), answer.uri()));
            }
            if (!RetryPolicy.isRetryable(answer.status())) {
                return answer;
            }
            Optional<Duration> retryAfter = retry.retryAfter(answer.header("Retry-After"));
            if (answer.status() == 429 && retryAfter.filter(retry::tooLong).isPresent()) {
                answer.close();
                throw new AgentException(ErrorCode.RATE_LIMITED, "registry " + host + " asks to retry after "
                        + retryAfter.get().toSeconds() + " s", retryAfter.get(), null);
            }
            if (lastAttempt) {
                return answer;
            }
            answer.close();
            Duration wait = retryAfter.orElse(retry.backoff(attempt));
            if (answer.status() == 429) {
                retry.holdHost(host, wait);
            }
            pause(call, wait, "HTTP " + answer.status());
        }
    }

    private HttpAnswer followRedirects(HttpCall call) throws IOException, InterruptedException {
        URI origin = call.uri();
        HttpCall current = call;
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> response;
            try {
                response = client.send(toRequest(current, origin), info -> new IdleTimeoutBody(settings.idleTimeout()));
            } catch (AddressCheckedClient.RefusedAddress e) {
                throw new AgentException(ErrorCode.REGISTRY_NOT_ALLOWED, e.getMessage());
            }
            Optional<String> location = response.headers().firstValue("Location");
            if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
                return new HttpAnswer(response.statusCode(), response.headers(), current.uri(), response.body());
            }
            response.body().close();
            if (hop >= settings.maxRedirects()) {
                throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "more than " + settings.maxRedirects()
                        + " redirects from " + origin.getAuthority());
            }
            URI next = current.uri().resolve(location.get().trim());
            checkRedirectTarget(current.uri(), next);
            String method = response.statusCode() == 303 && !current.method().equals("HEAD") ? "GET" : current.method();
            current = current.withUri(next).withMethod(method);
        }
    }

    private void checkRedirectTarget(URI from, URI to) {
        String scheme = Objects.toString(to.getScheme(), "").toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || to.getHost() == null || to.getUserInfo() != null) {
            throw new AgentException(ErrorCode.UNTRUSTED_REDIRECT, "registry redirected to an unusable URL");
        }
        if (scheme.equals("http") && "https".equalsIgnoreCase(from.getScheme()) && !plainHttpAllowed.test(to)) {
            throw new AgentException(ErrorCode.UNTRUSTED_REDIRECT,
                    "registry redirected from https to plain http (" + to.getAuthority() + "), which is not allowed");
        }
    }

    private HttpRequest toRequest(HttpCall call, URI origin) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri())
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach(builder::header);
        if (call.authorization() != null && sameOrigin(call.uri(), origin)) {
            builder.header("Authorization", call.authorization());
        }
        ProxyRules.authorization(settings.proxy(), call.uri()).ifPresent(value -> builder.header("Proxy-Authorization", value));
        if (!call.streaming()) {
            builder.timeout(settings.requestTimeout());
        }
        return builder.build();
    }

    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static void pause(HttpCall call, Duration wait, String reason) {
        LOG.debug("retrying {} {} in {} ms after {}", call.method(), call.uri().getAuthority(), wait.toMillis(), reason);
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "interrupted while waiting to retry", e);
        }
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }
}
