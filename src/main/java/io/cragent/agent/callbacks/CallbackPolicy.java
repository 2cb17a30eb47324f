package io.cragent.agent.callbacks;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.AddressPolicy;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where callbacks may go. A {@code callbackUrl} in a request is accepted only at the origin of
 * {@code BROKER_CLIENT_URL} or at a host of {@code CR_AGENT_CALLBACK_HOSTS} ({@code host} for any port,
 * {@code host:port} for one); with neither set, requests cannot name a callback URL at all. Whichever base is used,
 * it never points at an address {@link AddressPolicy} refuses (cloud metadata, multicast, unspecified); loopback
 * is fine, as only an operator can allow it here.
 */
public final class CallbackPolicy {
    private final String defaultBase;
    private final String defaultOrigin;
    private final Set<String> allowedHosts;

    /**
     * @param brokerClientUrl {@code BROKER_CLIENT_URL}: the default base and an allowed origin; may be blank
     * @param allowedHosts    {@code CR_AGENT_CALLBACK_HOSTS} entries
     */
    public CallbackPolicy(String brokerClientUrl, Set<String> allowedHosts) {
        this.defaultBase = CallbackUrls.base(brokerClientUrl, "BROKER_CLIENT_URL");
        this.defaultOrigin = defaultBase == null ? null : origin(URI.create(defaultBase));
        this.allowedHosts = allowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty())
                .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** The callback base of a request: its own {@code callbackUrl} when allowed, else {@code BROKER_CLIENT_URL}. */
    public String baseFor(String requestedUrl, String field) {
        String requested = CallbackUrls.base(requestedUrl, field);
        if (requested == null) {
            return defaultBase == null ? null : checkedAddress(defaultBase, "BROKER_CLIENT_URL");
        }
        URI uri = URI.create(requested);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean allowed = origin(uri).equals(defaultOrigin) || allowedHosts.contains(host)
                || allowedHosts.contains(host + ":" + port(uri));
        if (!allowed) {
            throw new AgentException(ErrorCode.CALLBACK_NOT_ALLOWED, field + " must be at the origin of "
                    + "BROKER_CLIENT_URL or at a host listed in CR_AGENT_CALLBACK_HOSTS");
        }
        return checkedAddress(requested, field);
    }

    private static String checkedAddress(String base, String field) {
        String refusal = AddressPolicy.refusal(URI.create(base).getHost(), true);
        if (refusal != null) {
            throw new AgentException(ErrorCode.CALLBACK_NOT_ALLOWED, field + " is not allowed: " + refusal);
        }
        return base;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
    }
}
