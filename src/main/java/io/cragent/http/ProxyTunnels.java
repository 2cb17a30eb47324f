package io.cragent.http;

/**
 * Lets Basic proxy credentials reach {@code CONNECT} requests (https and websockets through a proxy). The JDK drops a
 * {@code Proxy-Authorization: Basic} header from {@code CONNECT}, and ignores Basic challenges to it, while the
 * system property {@code jdk.http.auth.tunneling.disabledSchemes} names Basic, as it does by default (a guard for
 * applications that never meant to send a password in the clear to a proxy). We do mean to: the operator put the
 * credentials in {@code HTTPS_PROXY}, as snyk's client accepts them. The JDK reads the property once, when its HTTP
 * classes load, so this runs first thing in {@code io.cragent.Application.main}; an operator's own
 * {@code -Djdk.http.auth.tunneling.disabledSchemes=...} is kept. Nothing else sends Basic proxy credentials: only
 * {@link ProxyRules} builds them, from the proxy URL.
 */
public final class ProxyTunnels {
    static final String PROPERTY = "jdk.http.auth.tunneling.disabledSchemes";

    private ProxyTunnels() {
    }

    public static void allowBasicCredentials() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "");
        }
    }
}
