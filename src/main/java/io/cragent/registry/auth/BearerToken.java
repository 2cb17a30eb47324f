package io.cragent.registry.auth;

import java.time.Instant;

/** A registry token and the instant from which it must no longer be used (expiry less a safety margin). */
public record BearerToken(String value, Instant renewAt) {

    public boolean usableAt(Instant now) {
        return now.isBefore(renewAt);
    }

    @Override
    public String toString() {
        return "BearerToken[renewAt=" + renewAt + "]";
    }
}
