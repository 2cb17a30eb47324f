package io.cragent.http;

import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.util.List;

/**
 * The JVM's default authenticator while a proxy URL has credentials: {@code HttpURLConnection} (the AWS SDK, the
 * client's relay) asks it after a {@code 407}, for plain requests and for {@code CONNECT}, and then sends the
 * answer preemptively on later connections. It answers only proxy challenges from the configured proxies.
 * <p>
 * {@code HttpURLConnection} asks again after each refusal, up to 20 times per request; a proxy that locks an account
 * after a few failures would lock ours. So a thread asked again within {@link #RETRY_WINDOW_MILLIS} for the same
 * proxy gets no answer: an accepted answer is cached and never asked for twice that quickly.
 */
final class ProxyAuthenticator extends Authenticator {
    static final long RETRY_WINDOW_MILLIS = 5_000;

    private final List<ProxyEndpoint> proxies;
    private final ThreadLocal<String> lastAsked = new ThreadLocal<>();
    private final ThreadLocal<Long> lastAskedAt = new ThreadLocal<>();

    ProxyAuthenticator(List<ProxyEndpoint> proxies) {
        this.proxies = proxies;
    }

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
        if (getRequestorType() != RequestorType.PROXY || !"basic".equalsIgnoreCase(getRequestingScheme())) {
            return null;
        }
        for (ProxyEndpoint proxy : proxies) {
            if (proxy.credentials() != null && proxy.isAt(getRequestingHost(), getRequestingPort())) {
                return askedAgainTooSoon(proxy) ? null : proxy.credentials();
            }
        }
        return null;
    }

    private boolean askedAgainTooSoon(ProxyEndpoint proxy) {
        long now = System.currentTimeMillis();
        String key = proxy.url().toString();
        Long at = lastAskedAt.get();
        boolean again = key.equals(lastAsked.get()) && at != null && now - at < RETRY_WINDOW_MILLIS;
        lastAsked.set(key);
        lastAskedAt.set(now);
        return again;
    }
}
