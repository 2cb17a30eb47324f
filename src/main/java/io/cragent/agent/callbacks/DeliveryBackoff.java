package io.cragent.agent.callbacks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exponential backoff per spooled callback: after the n-th failed attempt the file waits
 * {@code initial × 2^(n-1)}, at most {@code max}, before the spool consumer may take it again. Kept in memory: after
 * a restart every pending callback is tried at once, then backs off again.
 */
public final class DeliveryBackoff {
    private record Attempts(int failures, long dueNanos) {
    }

    private final Duration initial;
    private final Duration max;
    private final Map<String, Attempts> attempts = new ConcurrentHashMap<>();

    public DeliveryBackoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    public boolean isDue(String name) {
        Attempts a = attempts.get(name);
        return a == null || System.nanoTime() - a.dueNanos() >= 0;
    }

    /** Records a failed attempt; returns the wait before the next one. */
    public Duration failed(String name) {
        Attempts before = attempts.get(name);
        int failures = before == null ? 1 : before.failures() + 1;
        Duration wait = delay(failures);
        attempts.put(name, new Attempts(failures, System.nanoTime() + wait.toNanos()));
        return wait;
    }

    /** Failed attempts so far. */
    public int failures(String name) {
        Attempts a = attempts.get(name);
        return a == null ? 0 : a.failures();
    }

    public void forget(String name) {
        attempts.remove(name);
    }

    Duration delay(int failures) {
        long millis = initial.toMillis();
        for (int i = 1; i < failures && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
