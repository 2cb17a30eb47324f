package io.cragent.registry.auth;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a registry may send us for a token. A hostile or compromised registry could name any URL as its realm and
 * collect the credentials we send there, or make us probe the internal network; so the realm must belong to the
 * registry's own domain, or be on an allow-list.
 */
public final class RealmPolicy {
    private final Set<String> allowedHosts;

    public RealmPolicy(Set<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public URI check(String realm, URI registry) {
        URI uri;
        try {
            uri = new URI(realm);
        } catch (Exception e) {
            throw rejected("the registry's token realm is not a URL");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getUserInfo() != null
                || !(scheme.equals("https") || scheme.equals("http"))) {
            throw rejected("the registry's token realm must be an absolute http(s) URL without user info");
        }
        if (scheme.equals("http") && !"http".equalsIgnoreCase(registry.getScheme())) {
            throw rejected("the registry's token realm uses plain http while the registry uses https");
        }
        String realmHost = bare(uri.getHost());
        String registryHost = bare(registry.getHost());
        if (!trusted(realmHost, registryHost)) {
            throw rejected("the registry's token realm host " + realmHost + " is not the registry's domain "
                    + "and not in the allowed realm hosts");
        }
        return uri;
    }

    private boolean trusted(String realmHost, String registryHost) {
        if (realmHost.equals(registryHost) || allowedHosts.contains(realmHost)) {
            return true;
        }
        if (InetAddresses.isInetAddress(realmHost) || InetAddresses.isInetAddress(registryHost)) {
            // An address literal other than the registry's own: it may be internal (loopback, private,
            // link-local, metadata), and a public one is not provably the registry's either.
            return false;
        }
        return realmHost.endsWith("." + registryHost) || registryHost.endsWith("." + realmHost)
                || sameRegistrableDomain(realmHost, registryHost);
    }

    private static boolean sameRegistrableDomain(String a, String b) {
        Optional<String> left = registrable(a);
        return left.isPresent() && left.equals(registrable(b));
    }

    private static Optional<String> registrable(String host) {
        try {
            InternetDomainName name = InternetDomainName.from(host);
            return name.isUnderPublicSuffix() ? Optional.of(name.topPrivateDomain().toString()) : Optional.empty();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static AgentException rejected(String message) {
        return new AgentException(ErrorCode.UNTRUSTED_REALM, message);
    }
}
