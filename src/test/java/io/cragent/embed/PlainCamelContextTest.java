package io.cragent.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FreePorts;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's route library in a plain DefaultCamelContext, as an application or an OSGi container hosts it: no
 * camel-main, the host adds its own HTTP server, {@link RouteLibrary} adds the beans and routes. Then the routes answer
 * as in the agent process, against the real registry over TLS with a private CA.
 */
class PlainCamelContextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DistributionRegistry registry;
    private static CamelContext context;
    private static int port;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD);
        port = FreePorts.next();
        context = new DefaultCamelContext();
        // What the host runtime provides: the HTTP server behind platform-http, and its own settings.
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        server.setBindPort(port);
        server.setMaxBodySize(1_048_576L);
        context.addService(new VertxPlatformHttpServer(server));
        Properties overrides = new Properties();
        overrides.setProperty("cragent.registry.ca-cert", registry.caCertPath().toString());
        overrides.setProperty("cragent.registry.allow-loopback", "true");
        overrides.setProperty("cragent.data-dir", Files.createTempDirectory("cr-agent-plain-").toString());
        context.getPropertiesComponent().setOverrideProperties(overrides);

        RouteLibrary.install(context, RouteLibrary.AGENT);
        context.start();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.stop();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void loadsTheJavaAndYamlRoutesWithoutCamelMain() {
        assertThat(context.getClass()).isEqualTo(DefaultCamelContext.class);
        assertThat(context.getRoutes()).extracting(Route::getRouteId)
                .contains("api-healthcheck", "registry-request", "oci-check-access");
        assertThat(context.getRoutes()).anyMatch(r -> r.getRouteId().contains("harbor-cr"));
        assertThat(context.isStreamCaching()).isFalse();
        assertThat(context.getRegistry().lookupByName("registryClients")).isNotNull();
        assertThat(context.getRegistry().lookupByName("ecrApi")).isNotNull();
    }

    @Test
    void healthcheckAnswers() throws Exception {
        HttpResponse<String> answer = get("/healthcheck", null);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("ok").asBoolean()).isTrue();
    }

    @Test
    void systemcheckReachesTheRegistryThroughTheTypesRouteSet() throws Exception {
        HttpResponse<String> answer = get("/systemcheck",
                credentials(registry.username(), registry.password()));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("ok").asBoolean()).isTrue();
        assertThat(body.path("type").asText()).isEqualTo("harbor-cr");
    }

    @Test
    void failuresGetTheAgentsJsonErrorsFromItsRouteConfigurations() throws Exception {
        HttpResponse<String> rejected = get("/systemcheck", credentials(registry.username(), "wrong-password"));
        assertThat(rejected.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(rejected.body()).path("error").path("code").asText()).isEqualTo("AUTH_FAILED");
        assertThat(rejected.body()).doesNotContain("wrong-password");
        HttpResponse<String> unknown = get("/no-such-endpoint", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").path("code").asText()).isEqualTo("NOT_FOUND");
    }

    private static String credentials(String username, String password) {
        String line = JSON.createObjectNode().put("type", "harbor-cr").put("username", username)
                .put("password", password).put("registryBase", registry.hostPort()) + "\n";
        return Base64.getEncoder().encodeToString(line.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
