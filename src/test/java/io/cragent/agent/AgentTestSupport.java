package io.cragent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.testsupport.FreePorts;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;

/**
 * Boots the real agent application (its configuration class, properties and routes) once per test class, on a free
 * loopback port, and calls its HTTP API as a broker client would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AgentTestSupport extends CamelMainTestSupport {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    protected int agentPort;
    /** Handed to Camel by configureContext, which runs inside the super constructor; filled before the first test. */
    private Properties overrides;

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        overrides = new Properties();
        context.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    @BeforeAll
    void agentOnLoopback() {
        agentPort = FreePorts.next();
        override("camel.server.host", "127.0.0.1");
        override("camel.server.port", String.valueOf(agentPort));
        override("cragent.registry.allow-loopback", "true");
        override("cragent.registry.retry-backoff-millis", "50");
        dataDir = newDataDir();
        override("cragent.data-dir", dataDir.toString());
    }

    /** Job state and the callback spool of this class's agent: its own directory, never another run's. */
    protected java.nio.file.Path dataDir;

    private static java.nio.file.Path newDataDir() {
        try {
            return java.nio.file.Files.createTempDirectory("cr-agent-data-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sets a property over application.properties; call it from {@code @BeforeAll}, before the agent boots. */
    protected void override(String key, String value) {
        overrides.setProperty(key, value);
    }

    /** {@code CR_CREDENTIALS} exactly as snyk's broker image builds it: base64 of one JSON line and a newline. */
    protected static String credentials(String type, String username, String password, String registryBase) {
        String line = "{\"type\":\"" + type + "\", \"username\":\"" + username + "\", \"password\":\"" + password
                + "\", \"registryBase\":\"" + registryBase + "\"}\n";
        return Base64.getEncoder().encodeToString(line.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code CR_CREDENTIALS} as our broker client builds it (broker-protocol.md §9.2): the values JSON-escaped. */
    protected static String escapedCredentials(String type, String username, String password, String registryBase) {
        var line = JSON.createObjectNode().put("type", type).put("username", username).put("password", password)
                .put("registryBase", registryBase);
        return Base64.getEncoder().encodeToString((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    protected Answer get(String pathAndQuery, String credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentPort + pathAndQuery))
                .timeout(Duration.ofSeconds(60));
        if (credentials != null) {
            request.header("Authorization", credentials);
        }
        return send(request.GET().build());
    }

    protected Answer post(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentPort + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    protected Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException("agent unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer of the agent. */
    public record Answer(int status, String body, HttpResponse<String> response) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error").path("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
