package io.cragent.registry.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to retry a registry call and how long to wait. The wait is kept per host: after a 429 every request to that
 * host waits, not only the one that was refused.
 */
public final class RetryPolicy {
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

    private final HttpSettings settings;
    private final Clock clock;
    private final Map<String, Long> notBeforeMillisByHost = new ConcurrentHashMap<>();

    public RetryPolicy(HttpSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public static boolean isRetryable(int status) {
        return RETRYABLE.contains(status);
    }

    public int maxRetries() {
        return settings.maxRetries();
    }

    /** 1 s × 3^attempt with ±10 % jitter (the base is configurable). */
    public Duration backoff(int attempt) {
        double millis = settings.backoffBase().toMillis() * Math.pow(3, attempt);
        double jitter = 1 + ThreadLocalRandom.current().nextDouble(-0.1, 0.1);
        return Duration.ofMillis(Math.round(millis * jitter));
    }

    /** The server's {@code Retry-After}, in seconds or as an HTTP date; empty when absent or unreadable. */
    public Optional<Duration> retryAfter(Optional<String> header) {
        return header.map(String::trim).flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration wait = Duration.between(clock.instant(), at.toInstant());
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (DateTimeParseException unreadable) {
                    return Optional.empty();
                }
            }
        });
    }

    public boolean tooLong(Duration retryAfter) {
        return retryAfter.compareTo(settings.maxRetryAfter()) > 0;
    }

    public void holdHost(String host, Duration wait) {
        long until = clock.millis() + wait.toMillis();
        notBeforeMillisByHost.merge(host, until, Math::max);
    }

    /** Blocks until the host's hold, if any, has passed. */
    public void awaitHost(String host) throws InterruptedException {
        Long until = notBeforeMillisByHost.get(host);
        if (until != null) {
            long wait = until - clock.millis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
    }
}
