package io.cragent.agent;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.ForwardProxy;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY: registry calls (plain http as absolute URIs, https through CONNECT with the
 * private CA still checked end to end) and callbacks pass through a local forward proxy; a NO_PROXY host does not.
 */
class AgentProxyTest extends AgentTestSupport {
    private ForwardProxy proxy;
    private DistributionRegistry plain;
    private DistributionRegistry tls;
    private FakeSaas saas;

    @BeforeAll
    void startPeers() throws IOException {
        proxy = new ForwardProxy();
        plain = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        tls = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD);
        TestImages.pushImage(plain, "proxy/app", "1.0", TestImages.Format.OCI);
        TestImages.pushImage(tls, "proxy/secure", "2.0", TestImages.Format.OCI);
        saas = new FakeSaas();
        override("cragent.registry.insecure-hosts", plain.hostPort() + ",localhost:" + plain.port());
        override("cragent.registry.ca-cert", tls.caCertPath().toString());
        override("cragent.proxy.http", proxy.url());
        override("cragent.proxy.https", proxy.url());
        override("cragent.proxy.no-proxy", "localhost");
        override("cragent.callbacks.poll-millis", "100");
    }

    @AfterAll
    void stopPeers() throws IOException {
        saas.close();
        tls.close();
        plain.close();
        proxy.close();
    }

    @Test
    void plainHttpRegistryCallsGoThroughTheProxyAsAbsoluteUris() {
        Answer tags = get("/list/proxy%2Fapp", credentials("docker-hub", plain.username(), plain.password(), plain.hostPort()));
        assertThat(tags.status()).as(tags.body()).isEqualTo(200);
        assertThat(tags.body()).isEqualTo("[\"1.0\"]");
        assertThat(proxy.requests()).contains("GET http://" + plain.hostPort() + "/v2/proxy/app/tags/list?n=1000");
    }

    @Test
    void httpsRegistryCallsTunnelThroughConnect() {
        Answer tags = get("/list/proxy%2Fsecure", credentials("docker-hub", tls.username(), tls.password(), tls.hostPort()));
        assertThat(tags.status()).as(tags.body()).isEqualTo(200);
        assertThat(tags.body()).isEqualTo("[\"2.0\"]");
        assertThat(proxy.requests()).contains("CONNECT " + tls.hostPort());
    }

    @Test
    void noProxyHostsAreReachedDirectly() {
        int before = proxy.requests().size();
        String localhost = "localhost:" + plain.port();
        Answer tags = get("/list/proxy%2Fapp", credentials("docker-hub", plain.username(), plain.password(), localhost));
        assertThat(tags.status()).as(tags.body()).isEqualTo(200);
        assertThat(proxy.requests().subList(before, proxy.requests().size())).noneMatch(r -> r.contains("localhost"));
    }

    @Test
    void callbacksGoThroughTheProxy() {
        String body = "{\"credentials\":\"" + credentials("docker-hub", plain.username(), plain.password(), plain.hostPort())
                + "\",\"images\":[\"proxy/app:1.0\"],\"callbackUrl\":\"" + saas.origin() + "/api/v2/import/result\"}";
        Answer job = post("/scan", body);
        assertThat(job.status()).as(job.body()).isEqualTo(202);
        saas.await(c -> c.path().equals("/api/v2/import/done"), 1, Duration.ofSeconds(60));
        assertThat(proxy.requests()).contains("POST " + saas.origin() + "/api/v2/import/result",
                "POST " + saas.origin() + "/api/v2/import/done");
    }
}
