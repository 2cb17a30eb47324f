package io.cragent.agent.types;

import com.sun.net.httpserver.HttpServer;
import io.cragent.registry.RegistrySettings;
import io.cragent.registry.http.HttpCall;
import io.cragent.registry.http.HttpSettings;
import io.cragent.registry.http.RegistryHttp;
import io.cragent.testsupport.FreePorts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vendor API that is not there (connection refused) is given up at once, so that the catalog answers without
 * waiting through the retries; one that is there but failing (503) is retried as any registry call.
 */
class VendorApiTest {
    /** Production's backoff: 1 s, 3 s, 9 s, so that waiting through the retries could not go unnoticed. */
    private final RegistryHttp http = new RegistryHttp(new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(10), 3, Duration.ofSeconds(1), Duration.ofSeconds(60), 10, null), uri -> true, true);
    private final VendorApi api = new VendorApi(http, RegistrySettings.defaults());

    @Test
    void aRefusedConnectionIsAnAbsentApiAtOnce() {
        URI nobody = URI.create("http://127.0.0.1:" + FreePorts.next() + "/api/v2.0/projects");
        long started = System.nanoTime();
        assertThat(api.fetch(HttpCall.get(nobody), "a vendor API")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900));
    }

    @Test
    void anApiThatAnswers503IsRetried() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(FreePorts.loopbackAnyPort(), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                boolean first = calls.incrementAndGet() == 1;
                byte[] body = (first ? "{}" : "{\"ok\":true}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(first ? 503 : 200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
            var page = api.fetch(HttpCall.get(uri), "a vendor API");
            assertThat(page).isPresent();
            assertThat(page.get().json().path("ok").asBoolean()).isTrue();
            assertThat(calls.get()).isEqualTo(2);
        } finally {
            server.stop(0);
        }
    }
}
