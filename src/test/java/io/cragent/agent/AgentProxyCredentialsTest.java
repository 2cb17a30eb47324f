package io.cragent.agent;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.ForwardProxy;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A proxy that requires Basic credentials, given in the proxy URL percent-encoded: https registry calls carry them
 * on the {@code CONNECT}, plain http ones on the absolute-URI request, callbacks too, each preemptively (the proxy
 * never has to answer 407).
 */
class AgentProxyCredentialsTest extends AgentTestSupport {
    static final String USER = "corp\\svc-agent";
    static final String PASSWORD = "pr0xy p@ss:w/rd%";
    static final String EXPECTED = "Basic " + Base64.getEncoder().encodeToString(
            (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    private ForwardProxy proxy;
    private DistributionRegistry plain;
    private DistributionRegistry tls;
    private FakeSaas saas;

    @BeforeAll
    void startPeers() throws IOException {
        proxy = ForwardProxy.requiring(USER, PASSWORD);
        plain = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        tls = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD);
        TestImages.pushImage(plain, "proxy/app", "1.0", TestImages.Format.OCI);
        TestImages.pushImage(tls, "proxy/secure", "2.0", TestImages.Format.OCI);
        saas = new FakeSaas();
        override("cragent.registry.insecure-hosts", plain.hostPort());
        override("cragent.registry.ca-cert", tls.caCertPath().toString());
        override("cragent.proxy.http", proxy.url(USER, PASSWORD));
        override("cragent.proxy.https", proxy.url(USER, PASSWORD));
        override("cragent.callbacks.poll-millis", "100");
    }

    @AfterAll
    void stopPeers() {
        Peers.closeAll(saas, tls, plain, proxy);
    }

    @Test
    void listsTheTlsRegistryThroughAnAuthenticatedConnect() {
        Answer repositories = get("/list", credentials("docker-hub", tls.username(), tls.password(), tls.hostPort()));
        assertThat(repositories.status()).as(repositories.body()).isEqualTo(200);
        assertThat(repositories.body()).contains("\"proxy/secure\"");
        Answer tags = get("/list/proxy%2Fsecure", credentials("docker-hub", tls.username(), tls.password(), tls.hostPort()));
        assertThat(tags.status()).as(tags.body()).isEqualTo(200);
        assertThat(tags.body()).isEqualTo("[\"2.0\"]");
        assertThat(proxy.seen()).contains(new ForwardProxy.Seen("CONNECT " + tls.hostPort(), EXPECTED, 200));
        assertThat(proxy.seen()).noneMatch(s -> s.request().contains(tls.hostPort()) && s.status() != 200);
    }

    @Test
    void listsThePlainRegistryThroughAuthenticatedAbsoluteUris() {
        Answer tags = get("/list/proxy%2Fapp", credentials("docker-hub", plain.username(), plain.password(), plain.hostPort()));
        assertThat(tags.status()).as(tags.body()).isEqualTo(200);
        assertThat(tags.body()).isEqualTo("[\"1.0\"]");
        assertThat(proxy.seen()).contains(new ForwardProxy.Seen(
                "GET http://" + plain.hostPort() + "/v2/proxy/app/tags/list?n=1000", EXPECTED, 200));
        assertThat(proxy.seen()).noneMatch(s -> s.request().contains(plain.hostPort()) && s.status() != 200);
    }

    @Test
    void callbacksCarryTheProxyCredentials() {
        String body = "{\"credentials\":\"" + credentials("docker-hub", plain.username(), plain.password(), plain.hostPort())
                + "\",\"images\":[\"proxy/app:1.0\"],\"callbackUrl\":\"" + saas.origin() + "/api/v2/import/result\"}";
        Answer job = post("/scan", body);
        assertThat(job.status()).as(job.body()).isEqualTo(202);
        saas.await(c -> c.path().equals("/api/v2/import/done"), 1, Duration.ofSeconds(60));
        assertThat(proxy.seen()).contains(new ForwardProxy.Seen("POST " + saas.origin() + "/api/v2/import/result", EXPECTED, 200),
                new ForwardProxy.Seen("POST " + saas.origin() + "/api/v2/import/done", EXPECTED, 200));
    }
}
