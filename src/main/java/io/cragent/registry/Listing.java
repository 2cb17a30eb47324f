package io.cragent.registry;

import java.util.List;

/** Names a registry listed; when it cannot list, none and the reason why. */
public record Listing(List<String> names, String unsupportedReason) {

    public static Listing unsupported(String reason) {
        return new Listing(List.of(), reason);
    }
}
