package io.cragent.registry.http;

import com.sun.net.httpserver.HttpServer;
import io.cragent.testsupport.ForwardProxy;
import io.cragent.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The address check on each request: refused hosts fail at once, before any connection (a listening socket sees
 * nothing, a proxy sees nothing); allowed ones are sent.
 */
class AddressCheckedClientTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/",
            "http://[64:ff9b::a9fe:a9fe]/", "http://[::ffff:169.254.169.254]/", "http://2852039166/",
            "http://0.0.0.0:1/", "http://224.0.0.1/"})
    void aForbiddenTargetFailsAtOnceNamingHostAndReason(String url) {
        AddressCheckedClient client = client(null, true);
        long started = System.nanoTime();
        Throwable refused = catchThrowable(() -> client.send(get(url), HttpResponse.BodyHandlers.discarding()));
        assertThat(refused).isInstanceOf(AddressCheckedClient.RefusedAddress.class)
                .hasMessageStartingWith("connection to " + URI.create(url).getHost() + " refused: ");
        assertThat(((AddressCheckedClient.RefusedAddress) refused).host()).isEqualTo(URI.create(url).getHost());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void loopbackIsRefusedUnlessAllowedAndThenNothingConnects() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/v2/";
            assertThatThrownBy(() -> client(null, false).send(get(url), HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(AddressCheckedClient.RefusedAddress.class)
                    .hasMessageContaining("127.0.0.1");
            listener.setSoTimeout(300);
            assertThatThrownBy(listener::accept).as("no connection was attempted")
                    .isInstanceOf(SocketTimeoutException.class);
        }
        AtomicInteger served = new AtomicInteger();
        HttpServer server = HttpServer.create(FreePorts.loopbackAnyPort(), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                served.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        try {
            URI allowed = URI.create("http://localhost:" + server.getAddress().getPort() + "/v2/");
            assertThat(client(null, true).send(HttpRequest.newBuilder(allowed).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);
            assertThat(served).hasValue(1);
        } finally {
            server.stop(0);
        }
    }

    /** The proxy resolves names; what resolves here is still checked, what does not is the proxy's to resolve. */
    @Test
    void throughAProxyWhatResolvesHereIsCheckedAndTheRestGoesToTheProxy() throws Exception {
        try (ForwardProxy proxy = new ForwardProxy()) {
            ProxySelector selector = ProxySelector.of(new InetSocketAddress("127.0.0.1", URI.create(proxy.url()).getPort()));
            AddressCheckedClient client = client(selector, false);
            assertThatThrownBy(() -> client.send(get("http://169.254.169.254/latest/meta-data/"),
                    HttpResponse.BodyHandlers.discarding())).isInstanceOf(AddressCheckedClient.RefusedAddress.class);
            assertThat(proxy.requests()).isEmpty();

            Throwable unresolvable = catchThrowable(() -> client.send(get("http://cr-agent-test.invalid/v2/"),
                    HttpResponse.BodyHandlers.discarding()));
            assertThat(unresolvable).as("the proxy cannot reach it either").isInstanceOf(IOException.class);
            // The JDK client sends an idempotent request a second time when the connection closes unanswered.
            assertThat(proxy.requests()).isNotEmpty().containsOnly("GET http://cr-agent-test.invalid/v2/");
        }
    }

    private static AddressCheckedClient client(ProxySelector proxy, boolean allowLoopback) {
        try {
            return new AddressCheckedClient(CONNECT_TIMEOUT, SSLContext.getDefault(), proxy, allowLoopback);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
    }
}
