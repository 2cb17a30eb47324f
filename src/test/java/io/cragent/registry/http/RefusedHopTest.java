package io.cragent.registry.http;

import com.sun.net.httpserver.HttpServer;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A registry call whose later hop points at a metadata address (an S3-style blob redirect) fails with
 * {@code REGISTRY_NOT_ALLOWED} naming the host and why, at once: no retry (production's backoff would wait 1 s).
 */
class RefusedHopTest {
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer registry;
    private RegistryHttp http;

    @BeforeEach
    void start() throws IOException {
        registry = HttpServer.create(FreePorts.loopbackAnyPort(), 0);
        registry.createContext("/", exchange -> {
            try (exchange) {
                calls.incrementAndGet();
                exchange.getResponseHeaders().set("Location", "http://169.254.169.254/bucket/blob?X-Amz-Signature=x");
                exchange.sendResponseHeaders(307, -1);
            }
        });
        registry.start();
        http = new RegistryHttp(new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10),
                3, Duration.ofSeconds(1), Duration.ofSeconds(60), 10, null), uri -> true, true);
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    @Test
    void aRedirectToTheMetadataServiceFailsTheCallWithoutARetry() {
        URI blob = URI.create("http://127.0.0.1:" + registry.getAddress().getPort() + "/v2/app/blobs/sha256:ab");
        long started = System.nanoTime();
        AgentException refused = catchThrowableOfType(AgentException.class,
                () -> http.send(HttpCall.get(blob).streamingBody()));
        assertThat(refused.code()).isEqualTo(ErrorCode.REGISTRY_NOT_ALLOWED);
        assertThat(refused).hasMessageContaining("169.254.169.254").hasMessageContaining("does not call");
        assertThat(calls).as("the registry was asked once").hasValue(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900));
    }

    @Test
    void aRegistryOnThisMachineIsRefusedUnlessLoopbackIsAllowed() {
        RegistryHttp strict = new RegistryHttp(HttpSettings.defaults(), uri -> true, false);
        URI root = URI.create("http://localhost:" + registry.getAddress().getPort() + "/v2/");
        AgentException refused = catchThrowableOfType(AgentException.class, () -> strict.send(HttpCall.get(root)));
        assertThat(refused.code()).isEqualTo(ErrorCode.REGISTRY_NOT_ALLOWED);
        assertThat(refused).hasMessageStartingWith("connection to localhost refused");
        assertThat(calls).hasValue(0);
    }
}
