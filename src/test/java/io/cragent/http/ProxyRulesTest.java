package io.cragent.http;

import io.cragent.logging.Redactor;
import org.junit.jupiter.api.Test;

import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxyRulesTest {

    @Test
    void noProxyConfiguredMeansNoSelector() {
        assertThat(ProxyRules.of("", null, "x")).isNull();
    }

    @Test
    void secureSchemesUseTheHttpsProxyAndNoProxyHostsGoDirect() {
        ProxyRules rules = ProxyRules.of("http://proxy.corp:3128", null, "agent.internal, .corp.example,localhost");
        assertThat(address(rules.select(URI.create("wss://broker.snyk.io/primus/x/")).get(0))).isEqualTo("proxy.corp:3128");
        assertThat(address(rules.select(URI.create("https://broker.snyk.io/response-data/x/y")).get(0))).isEqualTo("proxy.corp:3128");
        assertThat(rules.select(URI.create("http://agent:17500/list"))).containsExactly(Proxy.NO_PROXY);
        assertThat(rules.select(URI.create("https://agent.internal/list"))).containsExactly(Proxy.NO_PROXY);
        assertThat(rules.select(URI.create("https://a.corp.example/list"))).containsExactly(Proxy.NO_PROXY);
        assertThat(rules.select(URI.create("https://corp.example/list"))).containsExactly(Proxy.NO_PROXY);
        assertThat(rules.select(URI.create("https://notcorp.example/list")).get(0)).isNotEqualTo(Proxy.NO_PROXY);
    }

    @Test
    void plainSchemesUseTheHttpProxyAndStarBypassesAll() {
        ProxyRules rules = ProxyRules.of(null, "proxy:8080", null);
        assertThat(address(rules.select(URI.create("ws://server/primus/x/")).get(0))).isEqualTo("proxy:8080");
        assertThat(rules.select(URI.create("https://server/"))).containsExactly(Proxy.NO_PROXY);
        assertThat(ProxyRules.of("http://p:1", "http://p:1", "*").select(URI.create("https://x/"))).containsExactly(Proxy.NO_PROXY);
    }

    @Test
    void credentialsInTheProxyUrlArePercentDecodedIntoBasicForProxiedRequestsOnly() {
        ProxyRules rules = ProxyRules.of("http://corp%5Csvc:p%40ss%3Aw+rd%E2%82%AC@proxy.corp:3128", "http://plain:8080",
                "agent.internal");
        String expected = "Basic " + Base64.getEncoder().encodeToString("corp\\svc:p@ss:w+rd€".getBytes(StandardCharsets.UTF_8));
        assertThat(rules.authorization(URI.create("https://registry.example/v2/"))).contains(expected);
        assertThat(rules.authorization(URI.create("wss://broker.snyk.io/primus/x/"))).contains(expected);
        assertThat(rules.authorization(URI.create("https://agent.internal/x"))).isEmpty();
        assertThat(rules.authorization(URI.create("http://registry.example/v2/"))).isEmpty();
        assertThat(ProxyRules.authorization(null, URI.create("https://registry.example/v2/"))).isEmpty();
        assertThat(rules.hasCredentials()).isTrue();
        assertThat(ProxyRules.of(null, "http://plain:8080", null).hasCredentials()).isFalse();
    }

    @Test
    void theProxyIsShownWithoutItsCredentialsAndTheyAreRedacted() {
        ProxyRules rules = ProxyRules.of("http://svc:Sup3r%2Fsecret@proxy.corp:3128", null, "localhost");
        assertThat(rules.singleProxy()).isEqualTo(URI.create("http://proxy.corp:3128"));
        assertThat(rules.toString()).isEqualTo("https and wss through http://proxy.corp:3128 (with credentials), "
                + "http and ws direct, direct to [localhost]").doesNotContain("svc").doesNotContain("Sup3r");
        assertThat(rules.proxyFor(URI.create("https://r/"))).contains(URI.create("http://proxy.corp:3128"));
        assertThat(rules.refusal(URI.create("https://r/v2/"))).isEqualTo(
                "the proxy http://proxy.corp:3128 refused the credentials in HTTPS_PROXY (HTTP 407)");
        assertThat(ProxyRules.of("proxy:3128", null, null).refusal(URI.create("https://r/"))).contains(
                "the proxy http://proxy:3128 requires credentials (HTTP 407); put them in HTTPS_PROXY");
        assertThat(Redactor.redact("decoded Sup3r/secret, raw Sup3r%2Fsecret, header "
                + rules.authorization(URI.create("https://r/")).orElseThrow().substring(6)))
                .isEqualTo("decoded ***, raw ***, header ***");
    }

    @Test
    void anUnparsableProxyUrlIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> ProxyRules.of("http://user:se cret^@proxy:3128", null, null))
                .hasMessageNotContaining("se cret").hasMessageContaining("HTTPS_PROXY is not a valid URL");
        assertThatThrownBy(() -> ProxyRules.of(null, "http://user:s3cret@:3128", null))
                .hasMessageNotContaining("s3cret").hasMessageContaining("HTTP_PROXY has no host");
    }

    @Test
    void theDefaultAuthenticatorAnswersOnlyTheConfiguredProxyAndNotTwiceInARow() throws Exception {
        ProxyRules.of("http://svc:pw-auth-test@127.0.0.1:3128", null, null);
        URL target = new URL("https://registry.example/v2/");
        PasswordAuthentication first = Authenticator.requestPasswordAuthentication(null, "127.0.0.1", null, 3128,
                "http", "proxy", "Basic", target, Authenticator.RequestorType.PROXY);
        assertThat(first.getUserName()).isEqualTo("svc");
        assertThat(new String(first.getPassword())).isEqualTo("pw-auth-test");
        // asked again at once: the answer was refused; do not send it again (account lockouts)
        assertThat(Authenticator.requestPasswordAuthentication(null, "127.0.0.1", null, 3128, "http", "proxy",
                "Basic", target, Authenticator.RequestorType.PROXY)).isNull();
        assertThat(Authenticator.requestPasswordAuthentication(null, "127.0.0.1", null, 3129, "http", "proxy",
                "Basic", target, Authenticator.RequestorType.PROXY)).isNull();
        assertThat(Authenticator.requestPasswordAuthentication(null, "127.0.0.1", null, 3128, "https", "registry",
                "Basic", target, Authenticator.RequestorType.SERVER)).isNull();
    }

    private static String address(Proxy proxy) {
        InetSocketAddress a = (InetSocketAddress) proxy.address();
        return a.getHostString() + ":" + a.getPort();
    }

    @Test
    void givesOneProxyAndHostPatternsForTheAwsSdk() {
        ProxyRules rules = ProxyRules.of(null, null, null, java.util.Map.of("http_proxy", "proxy.corp:3128",
                "no_proxy", ".internal, sts.amazonaws.com,*"));
        assertThat(rules.singleProxy()).isEqualTo(URI.create("http://proxy.corp:3128"));
        assertThat(rules.noProxyPatterns()).hasSize(3);
        assertThat("a.b.internal").matches(p -> rules.noProxyPatterns().stream().anyMatch(p::matches));
        assertThat("sts.amazonaws.com").matches(p -> rules.noProxyPatterns().stream().anyMatch(p::matches));
        assertThat(rules.noProxyPatterns().stream().filter(p -> !p.equals(".*")).anyMatch("xinternal"::matches)).isFalse();
    }
}
