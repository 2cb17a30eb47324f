package io.cragent.broker.link;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private final Backoff backoff = Backoff.snykDefaults();

    @Test
    void growsByHalfUpToTwentyMinutes() {
        assertThat(backoff.delay(0, () -> 0.5)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(1, () -> 0.5)).isEqualTo(Duration.ofMillis(750));
        assertThat(backoff.delay(2, () -> 0.5)).isEqualTo(Duration.ofMillis(1125));
        assertThat(backoff.delay(29, () -> 0.5)).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void jitterStaysWithinTwentyPercentAndUnderTheMaximum() {
        assertThat(backoff.delay(0, () -> 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(0, () -> 0.999999)).isEqualTo(Duration.ofMillis(600));
        assertThat(backoff.delay(40, () -> 0.999999)).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void thirtyRetries() {
        assertThat(backoff.exhausted(29)).isFalse();
        assertThat(backoff.exhausted(30)).isTrue();
    }
}
