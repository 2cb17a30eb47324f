package io.cragent.broker.link;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays as snyk's client computes them (0.5 s × 1.5ⁿ up to 20 min, 30 retries; broker-protocol.md §2.7),
 * plus ±{@code jitter} so that many clients restarted together do not reconnect in step.
 */
public record Backoff(Duration initial, double factor, Duration max, int retries, double jitter) {

    public static Backoff snykDefaults() {
        return new Backoff(Duration.ofMillis(500), 1.5, Duration.ofMinutes(20), 30, 0.2);
    }

    /** The delay before retry {@code attempt} (0 for the first); {@code random} yields values in [0, 1). */
    public Duration delay(int attempt, DoubleSupplier random) {
        double base = Math.min(initial.toMillis() * Math.pow(factor, attempt), max.toMillis());
        double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(Math.min(base * spread, max.toMillis()))));
    }

    /** Whether {@code attempt} retries have used up the budget. */
    public boolean exhausted(int attempt) {
        return attempt >= retries;
    }
}
