package io.cragent.testsupport;

import io.cragent.broker.link.BrokerLink;
import io.cragent.broker.link.BrokerSocket;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Our broker client ({@code java -jar cr-agent.jar client}) booted in this JVM as the jar does it: its own
 * camel-main with {@code client.properties}, on a free loopback port, with settings given as property overrides.
 */
public final class OurBrokerClient implements AutoCloseable {
    private final Main main;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private OurBrokerClient(Main main, String url) {
        this.main = main;
        this.url = url;
    }

    /**
     * Connects to {@code serverUrl} and forwards to {@code agentUrl}; {@code extra} overrides any property. With
     * {@code cragent.client.https-cert} in {@code extra} its own URL is https; {@code camel.server.port} there
     * chooses the port.
     */
    public static OurBrokerClient start(String serverUrl, String agentUrl, String crCredentials, Map<String, String> extra) {
        int port = extra.containsKey("camel.server.port") ? Integer.parseInt(extra.get("camel.server.port")) : FreePorts.next();
        String url = (extra.containsKey("cragent.client.https-cert") ? "https" : "http") + "://127.0.0.1:" + port;
        Properties p = new Properties();
        p.setProperty("camel.server.host", "127.0.0.1");
        p.setProperty("camel.server.port", String.valueOf(port));
        p.setProperty("cragent.client.token", SnykBroker.TOKEN);
        p.setProperty("cragent.client.server-url", serverUrl);
        p.setProperty("cragent.client.agent-url", agentUrl);
        p.setProperty("cragent.client.client-url", url);
        p.setProperty("cragent.client.cr-credentials", crCredentials);
        p.setProperty("cragent.client.validation-url", agentUrl + "/systemcheck");
        p.setProperty("cragent.client.exit-when-retries-exhausted", "false");
        extra.forEach(p::setProperty);
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("classpath:client.properties");
        main.setOverrideProperties(p);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("our broker client did not start", e);
        }
        return new OurBrokerClient(main, url);
    }

    /**
     * {@link #start}ed and connected: the server has it on its token and both its websockets are open (the server
     * counts a client connected with the first one, while the second may still be opening).
     */
    public static OurBrokerClient connected(SnykBroker server, String agentUrl, String crCredentials,
                                            Map<String, String> extra) {
        OurBrokerClient client = start(server.url(), agentUrl, crCredentials, extra);
        try {
            server.awaitClientConnected(extra.getOrDefault("cragent.client.token", SnykBroker.TOKEN), Duration.ofSeconds(30));
            client.awaitBothSocketsOpen(Duration.ofSeconds(30));
            return client;
        } catch (RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    /** A bean of the running client, e.g. {@code brokerLink}. */
    public <T> T bean(String name, Class<T> type) {
        return main.getCamelContext().getRegistry().lookupByNameAndType(name, type);
    }

    private void awaitBothSocketsOpen(Duration timeout) {
        BrokerLink link = bean("brokerLink", BrokerLink.class);
        Await.until("both websockets open", timeout, () -> link.sockets().stream().allMatch(BrokerSocket::isOpen));
    }

    public String url() {
        return url;
    }

    public HttpResponse<String> call(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
