package io.cragent.registry.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LazySslContextTest {

    @Test
    void plainHttpNeverMakesTheContext() throws Exception {
        AtomicInteger made = new AtomicInteger();
        SSLContext lazy = new LazySslContext(() -> {
            made.incrementAndGet();
            return TlsTrust.sslContext(null);
        });
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(lazy).sslParameters(new SSLParameters()).build();
            HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(answer.statusCode()).isEqualTo(204);
            assertThat(made).hasValue(0);
            // The first TLS use makes it, once.
            lazy.createSSLEngine();
            lazy.createSSLEngine("registry.example", 443);
            assertThat(made).hasValue(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBundleWithoutCertificatesFailsAtOnce(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        assertThatThrownBy(() -> TlsTrust.lazySslContext(empty))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot load the CA bundle");
    }
}
