package io.cragent.registry.http;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final RetryPolicy policy = new RetryPolicy(HttpSettings.defaults(), clock);

    @Test
    void backoffTriplesWithTenPercentJitter() {
        for (int attempt = 0; attempt < 3; attempt++) {
            long expected = 1000L * (long) Math.pow(3, attempt);
            assertThat(policy.backoff(attempt).toMillis()).isBetween(expected * 9 / 10, expected * 11 / 10);
        }
    }

    @Test
    void readsRetryAfterInSecondsAndAsADate() {
        assertThat(policy.retryAfter(Optional.of("7"))).contains(Duration.ofSeconds(7));
        assertThat(policy.retryAfter(Optional.of("Thu, 01 Jan 2026 00:00:30 GMT"))).contains(Duration.ofSeconds(30));
        assertThat(policy.retryAfter(Optional.of("soon"))).isEmpty();
        assertThat(policy.tooLong(Duration.ofSeconds(61))).isTrue();
        assertThat(policy.tooLong(Duration.ofSeconds(60))).isFalse();
    }

    @Test
    void retriesOnlyTransientStatuses() {
        assertThat(RetryPolicy.isRetryable(429)).isTrue();
        assertThat(RetryPolicy.isRetryable(503)).isTrue();
        assertThat(RetryPolicy.isRetryable(404)).isFalse();
        assertThat(RetryPolicy.isRetryable(401)).isFalse();
    }
}
