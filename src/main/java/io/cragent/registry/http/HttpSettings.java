package io.cragent.registry.http;

import io.cragent.http.ProxyRules;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Timeouts, retries and trust for every outbound registry call.
 *
 * @param requestTimeout manifests, tags and tokens must answer within this; blobs only have {@code idleTimeout}
 * @param backoffBase    the first retry waits this long, then ×3 per attempt, ±10 % jitter
 * @param maxRetryAfter  a longer {@code Retry-After} fails the call with RATE_LIMITED instead of waiting
 * @param proxy          HTTPS_PROXY/HTTP_PROXY/NO_PROXY and the proxies' credentials; null: direct
 */
public record HttpSettings(Duration connectTimeout, Duration requestTimeout, Duration idleTimeout, int maxRetries,
                           Duration backoffBase, Duration maxRetryAfter, int maxRedirects, Path caBundle,
                           ProxyRules proxy) {

    /** Direct connections. */
    public HttpSettings(Duration connectTimeout, Duration requestTimeout, Duration idleTimeout, int maxRetries,
                        Duration backoffBase, Duration maxRetryAfter, int maxRedirects, Path caBundle) {
        this(connectTimeout, requestTimeout, idleTimeout, maxRetries, backoffBase, maxRetryAfter, maxRedirects, caBundle,
                null);
    }

    public static HttpSettings defaults() {
        return new HttpSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60), 3,
                Duration.ofSeconds(1), Duration.ofSeconds(60), 10, null);
    }
}
