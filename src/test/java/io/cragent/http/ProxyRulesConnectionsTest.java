package io.cragent.http;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.ForwardProxy;
import io.cragent.testsupport.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.net.ssl.HttpsURLConnection;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code HttpURLConnection} (the AWS SDK's client, the broker client's relay) through a proxy that requires Basic
 * credentials: a plain request carries them at once; a {@code CONNECT} gets a 407 and is sent again with them by the
 * JVM's authenticator, then preemptively; a wrong password is tried once, not twenty times. (A request header
 * would not do for tunnels: {@code HttpURLConnection} leaves it off the {@code CONNECT} and sends it to the origin.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyRulesConnectionsTest {
    private static final String EXPECTED = "Basic " + Base64.getEncoder().encodeToString(
            "conn-user:conn p@ss".getBytes(StandardCharsets.UTF_8));

    private ForwardProxy proxy;
    private DistributionRegistry tls;
    private DistributionRegistry plain;

    @BeforeAll
    void start() throws IOException {
        proxy = ForwardProxy.requiring("conn-user", "conn p@ss");
        tls = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD);
        plain = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
    }

    @AfterAll
    void stop() {
        Peers.closeAll(plain, tls, proxy);
    }

    @Test
    void tunnelsAuthenticateThroughTheDefaultAuthenticatorThenPreemptively() throws IOException {
        ProxyRules rules = ProxyRules.of(proxy.url("conn-user", "conn p@ss"), null, null);
        URI v2 = URI.create(tls.baseUrl() + "/v2/");
        assertThat(status(rules, v2)).isEqualTo(401); // the registry's own answer: the tunnel stood
        assertThat(status(rules, v2)).isEqualTo(401);
        List<ForwardProxy.Seen> connects = proxy.seen().stream()
                .filter(s -> s.request().equals("CONNECT " + tls.hostPort())).toList();
        assertThat(connects).containsExactly(new ForwardProxy.Seen("CONNECT " + tls.hostPort(), null, 407),
                new ForwardProxy.Seen("CONNECT " + tls.hostPort(), EXPECTED, 200),
                new ForwardProxy.Seen("CONNECT " + tls.hostPort(), EXPECTED, 200));
    }

    @Test
    void plainRequestsCarryTheCredentialsAtOnce() throws IOException {
        ProxyRules rules = ProxyRules.of(null, proxy.url("conn-user", "conn p@ss"), null);
        assertThat(status(rules, URI.create(plain.baseUrl() + "/v2/"))).isEqualTo(401);
        assertThat(proxy.seen()).filteredOn(s -> s.request().contains(plain.hostPort()))
                .containsExactly(new ForwardProxy.Seen("GET " + plain.baseUrl() + "/v2/", EXPECTED, 200));
    }

    @Test
    void aWrongPasswordIsTriedOnceForATunnel() throws Exception {
        // A proxy of its own: the JDK caches accepted proxy credentials per proxy address.
        try (ForwardProxy strict = ForwardProxy.requiring("conn-user", "conn p@ss")) {
            ProxyRules rules = ProxyRules.of(strict.url("conn-user", "wrong-conn-pass"), null, null);
            assertThat(status(rules, URI.create(tls.baseUrl() + "/v2/"))).isEqualTo(407);
            assertThat(strict.seen()).extracting(ForwardProxy.Seen::status).containsExactly(407, 407);
        }
    }

    private int status(ProxyRules rules, URI uri) throws IOException {
        HttpURLConnection connection = rules.open(uri);
        if (connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls.clientSslContext().getSocketFactory());
        }
        try {
            int status = connection.getResponseCode();
            if (connection.getErrorStream() != null) {
                connection.getErrorStream().readAllBytes();
            }
            return status;
        } finally {
            connection.disconnect();
        }
    }
}
