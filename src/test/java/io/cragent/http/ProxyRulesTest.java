package io.cragent.http;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;

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
    void credentialsInTheProxyUrlAreRefused() {
        assertThatThrownBy(() -> ProxyRules.of("http://user:secret@proxy:3128", null, null))
                .hasMessageNotContaining("secret").hasMessageContaining("not supported");
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
