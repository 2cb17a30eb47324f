package io.cragent.agent.callbacks;

import com.sun.net.httpserver.HttpServer;
import io.cragent.testsupport.FreePorts;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A spooled callback whose host has come to point at a metadata address is set aside, unsent and not retried; one
 * to a broker client on this machine is delivered (callbacks may always go to loopback, as CallbackPolicy allows).
 */
class CallbackSenderAddressTest {
    @TempDir
    Path spoolDir;

    private final AtomicInteger retries = new AtomicInteger();

    @Test
    void aCallbackToTheMetadataServiceIsSetAsideWithoutARetry() throws Exception {
        CallbackSpool spool = new CallbackSpool(spoolDir, backoff());
        File file = spooled(spool, "http://169.254.169.254/latest/api/token");
        long started = System.nanoTime();
        sender(spool).deliver(file);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(file).doesNotExist();
        assertThat(spoolDir.resolve("failed").resolve(file.getName())).exists();
        assertThat(retries).hasValue(0);
    }

    @Test
    void aCallbackToLoopbackIsDelivered() throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer client = HttpServer.create(FreePorts.loopbackAnyPort(), 0);
        client.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                received.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            }
        });
        client.start();
        try {
            CallbackSpool spool = new CallbackSpool(spoolDir, backoff());
            File file = spooled(spool, "http://localhost:" + client.getAddress().getPort() + "/api/callback");
            sender(spool).deliver(file);
            assertThat(received).hasValue(1);
            assertThat(file).doesNotExist();
            assertThat(spool.pending()).isZero();
        } finally {
            client.stop(0);
        }
    }

    private CallbackSender sender(CallbackSpool spool) throws Exception {
        return new CallbackSender(spool, backoff(), Duration.ofSeconds(5), Duration.ofHours(1), SSLContext.getDefault(),
                null, retries::incrementAndGet);
    }

    private static DeliveryBackoff backoff() {
        return new DeliveryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    /** Writes the callback as the spool route does: {@link CallbackSpool#prepare}, then the file. */
    private File spooled(CallbackSpool spool, String url) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            String jobId = "0f8fad5b-d9cb-469f-a165-70867728950e";
            exchange.getMessage().setBody(new Callback(jobId, jobId + "/done", url, Map.of("Content-Type",
                    "application/json"), "{\"done\":true}".getBytes(StandardCharsets.UTF_8), true));
            spool.prepare(exchange);
            Path file = spoolDir.resolve(exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class));
            Files.write(file, exchange.getMessage().getBody(byte[].class));
            return file.toFile();
        }
    }
}
