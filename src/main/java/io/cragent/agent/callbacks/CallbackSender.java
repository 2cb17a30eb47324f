package io.cragent.agent.callbacks;

import io.cragent.http.ProxyRules;
import io.cragent.registry.http.AddressCheckedClient;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Sends one spooled callback. Delivered (2xx): the file is deleted. Refused for good (a 4xx other than 407, 408, 425
 * and 429, older than the maximum age, or a host that now points where the agent never calls): set aside in
 * {@code failed/} with an error in the log. Anything else (connection refused, 5xx, timeout, a proxy refusing its
 * credentials): left in the spool to be tried again after its backoff. Sent by {@link AddressCheckedClient},
 * without redirects.
 */
public final class CallbackSender {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackSender.class);
    private static final Set<Integer> RETRIED_4XX = Set.of(408, 425, 429);

    private final CallbackSpool spool;
    private final DeliveryBackoff backoff;
    private final Duration timeout;
    private final Duration maxAge;
    private final AddressCheckedClient http;
    private final ProxyRules proxy;
    private final Runnable onRetry;

    /** @param onRetry told of each failed delivery that will be tried again (metrics) */
    public CallbackSender(CallbackSpool spool, DeliveryBackoff backoff, Duration timeout, Duration maxAge,
                          SSLContext tls, ProxyRules proxy, Runnable onRetry) {
        this.onRetry = onRetry;
        this.proxy = proxy;
        this.spool = spool;
        this.backoff = backoff;
        this.timeout = timeout;
        this.maxAge = maxAge;
        // Loopback as CallbackPolicy allows it: a broker client in the same pod.
        this.http = new AddressCheckedClient(Duration.ofSeconds(10), tls, proxy, true);
    }

    public void deliver(@Body File file) throws IOException {
        CallbackSpool.Spooled callback = spool.read(file);
        Instant written = Files.getLastModifiedTime(file.toPath()).toInstant();
        if (written.plus(maxAge).isBefore(Instant.now())) {
            LOG.error("callback {} not delivered within {}; set aside in {}/failed", callback.deliveryId(), maxAge,
                    spool.directory());
            spool.setAside(file);
            return;
        }
        int attempt = backoff.failures(file.getName()) + 1;
        int status;
        URI url = URI.create(callback.url());
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(callback.body()));
            callback.headers().forEach(request::header);
            ProxyRules.authorization(proxy, url).ifPresent(value -> request.header("Proxy-Authorization", value));
            status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (AddressCheckedClient.RefusedAddress e) {
            LOG.error("callback {} not sent ({}); set aside in {}/failed", callback.deliveryId(), e.getMessage(),
                    spool.directory());
            spool.setAside(file);
            return;
        } catch (IOException e) {
            retryLater(file, callback, attempt, e.getClass().getSimpleName());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retryLater(file, callback, attempt, "interrupted");
            return;
        }
        if (status == 407) {
            // A proxy setting to fix, not a refusal of the callback: kept for when the agent restarts with it fixed.
            retryLater(file, callback, attempt, ProxyRules.refusal(proxy, url));
        } else if (status >= 200 && status < 300) {
            LOG.info("callback {} delivered ({} bytes, HTTP {}, attempt {})", callback.deliveryId(),
                    callback.body().length, status, attempt);
            spool.delivered(file);
        } else if (status >= 400 && status < 500 && !RETRIED_4XX.contains(status)) {
            LOG.error("callback {} refused with HTTP {}; set aside in {}/failed", callback.deliveryId(), status,
                    spool.directory());
            spool.setAside(file);
        } else {
            retryLater(file, callback, attempt, "HTTP " + status);
        }
    }

    private void retryLater(File file, CallbackSpool.Spooled callback, int attempt, String why) {
        Duration wait = backoff.failed(file.getName());
        onRetry.run();
        LOG.warn("callback {} not delivered ({}, attempt {}); next try in {} ms", callback.deliveryId(), why, attempt,
                wait.toMillis());
    }
}
