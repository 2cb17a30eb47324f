package io.cragent.agent;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.ForwardProxy;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrong password in the proxy URL: the proxy's 407 becomes the unreachable-registry error naming the proxy and
 * the setting to fix, after one attempt (a proxy may lock the account), with no credential in the answer.
 */
class AgentProxyWrongCredentialsTest extends AgentTestSupport {
    private static final String WRONG = "wrong-Pr0xy-pass";

    private ForwardProxy proxy;
    private DistributionRegistry plain;
    private DistributionRegistry tls;

    @BeforeAll
    void startPeers() throws IOException {
        proxy = ForwardProxy.requiring(AgentProxyCredentialsTest.USER, AgentProxyCredentialsTest.PASSWORD);
        plain = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        tls = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD);
        TestImages.pushImage(plain, "proxy/app", "1.0", TestImages.Format.OCI);
        override("cragent.registry.insecure-hosts", plain.hostPort());
        override("cragent.registry.ca-cert", tls.caCertPath().toString());
        override("cragent.proxy.http", proxy.url(AgentProxyCredentialsTest.USER, WRONG));
        override("cragent.proxy.https", proxy.url(AgentProxyCredentialsTest.USER, WRONG));
    }

    @AfterAll
    void stopPeers() {
        Peers.closeAll(tls, plain, proxy);
    }

    @Test
    void aRefusedConnectIsAClearUnreachableRegistryError() {
        Answer answer = get("/list", credentials("docker-hub", tls.username(), tls.password(), tls.hostPort()));
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).contains("REGISTRY_UNAVAILABLE")
                .contains("the proxy " + proxy.url() + " refused the credentials in HTTPS_PROXY (HTTP 407)");
        assertNoSecretIn(answer.body());
        assertThat(proxy.seen()).filteredOn(s -> s.request().equals("CONNECT " + tls.hostPort())).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(407));
    }

    @Test
    void aRefusedPlainRequestIsAClearUnreachableRegistryError() {
        Answer answer = get("/list/proxy%2Fapp", credentials("docker-hub", plain.username(), plain.password(), plain.hostPort()));
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).contains("the proxy " + proxy.url() + " refused the credentials in HTTP_PROXY (HTTP 407)");
        assertNoSecretIn(answer.body());
        assertThat(proxy.seen()).filteredOn(s -> s.request().contains(plain.hostPort())).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(407));
    }

    private static void assertNoSecretIn(String text) {
        String basic = Base64.getEncoder().encodeToString((AgentProxyCredentialsTest.USER + ":" + WRONG)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(text).doesNotContain(WRONG).doesNotContain(basic).doesNotContain("svc-agent")
                .doesNotContain(AgentProxyCredentialsTest.PASSWORD);
    }
}
