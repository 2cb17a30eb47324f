package io.cragent.logging;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.RunningJar;
import io.cragent.testsupport.SnykBroker;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both jars at their most verbose (LOG_LEVEL=trace, CAMEL_LOG_LEVEL=trace, route tracing on) behind the real
 * snyk-broker server, with known secrets: listing, tags, image metadata, a scan job whose callbacks the client
 * relays, credentials in every form the agent accepts, a wrong password. Everything either process printed
 * (stdout and stderr) must be free of every secret, and tracing must really have been on.
 */
class SecretsNeverLoggedIT {
    private static final String WRONG_PASSWORD = "wrong-Pa55word-never-logged";

    @Test
    void noSecretAppearsInAnyOutputAtTheMostVerboseLevel() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        try (DistributionRegistry registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
             FakeSaas saas = new FakeSaas();
             SnykBroker server = SnykBroker.server(saas.origin())) {
            TestImages.pushImage(registry, "secret/app", "1.0", TestImages.Format.OCI);
            String json = "{\"type\":\"docker-hub\",\"username\":\"" + registry.username() + "\",\"password\":\""
                    + registry.password() + "\",\"registryBase\":\"" + registry.hostPort() + "\"}";
            String crCredentials = base64(json);
            String wrongJson = json.replace(registry.password(), WRONG_PASSWORD);
            int agentPort = FreePorts.next();
            int clientPort = FreePorts.next();
            // The JDK's own HTTP client logging too (headers included), which goes through System.Logger.
            Map<String, String> verbose = Map.of("LOG_LEVEL", "trace", "CAMEL_LOG_LEVEL", "trace",
                    "JAVA_TOOL_OPTIONS", "-Djdk.httpclient.HttpClient.log=headers,requests");
            Map<String, String> agentEnv = new HashMap<>(verbose);
            agentEnv.putAll(Map.of("SNYK_PORT", String.valueOf(agentPort), "CR_AGENT_HOST", "127.0.0.1",
                    "CR_AGENT_ALLOW_LOOPBACK_REGISTRY", "true", "CR_AGENT_INSECURE_REGISTRIES", registry.hostPort(),
                    "CR_AGENT_TRACE", "true", "CR_AGENT_CALLBACK_HOSTS", "127.0.0.1", "CR_AGENT_DATA_DIR", java.nio.file.Files.createTempDirectory("secrets").toString()));
            Map<String, String> clientEnv = new HashMap<>(verbose);
            clientEnv.putAll(Map.of("BROKER_TOKEN", SnykBroker.TOKEN, "BROKER_SERVER_URL", server.url(),
                    "BROKER_CLIENT_URL", "http://127.0.0.1:" + clientPort, "PORT", String.valueOf(clientPort),
                    "CR_CLIENT_HOST", "127.0.0.1", "CR_AGENT_URL", "http://127.0.0.1:" + agentPort,
                    "CR_CREDENTIALS", crCredentials, "CR_CLIENT_TRACE", "true",
                    "BROKER_CLIENT_VALIDATION_URL", "http://127.0.0.1:" + agentPort + "/systemcheck"));
            try (RunningJar agent = RunningJar.start(javaHome, agentEnv, agentPort);
                 RunningJar client = RunningJar.start(javaHome, clientEnv, clientPort, "client")) {
                server.awaitClientConnected(Duration.ofSeconds(30));
                Map<String, String> substituted = Map.of("authorization", "${CR_CREDENTIALS}", "x-broker-var-sub", "authorization");
                String broker = "/broker/" + SnykBroker.TOKEN;
                assertThat(server.call("GET", broker + "/list", substituted, null).body()).contains("secret/app");
                assertThat(server.call("GET", broker + "/list/secret%2Fapp", substituted, null).body()).isEqualTo("[\"1.0\"]");
                HttpResponse<String> meta = server.call("GET", broker + "/image-metadata/secret%2Fapp:1.0", substituted, null);
                assertThat(meta.statusCode()).as(meta.body()).isEqualTo(200);

                String scan = "{\"BROKER_VAR_SUB\":[\"credentials\",\"callbackUrl\"],\"credentials\":\"${CR_CREDENTIALS}\","
                        + "\"callbackUrl\":\"${BROKER_CLIENT_URL}/api/v2/import/result\",\"images\":[\"secret/app:1.0\"]}";
                HttpResponse<String> job = server.call("POST", broker + "/scan", Map.of("content-type", "application/json"), scan);
                assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
                saas.await(c -> c.path().equals("/api/v2/import/done"), 1, Duration.ofSeconds(60));
                assertThat(saas.received("/api/v2/import/result")).isNotEmpty();

                // Straight at the agent: Bearer, a JSON object body field, a wrong password.
                assertThat(agentCall(agentPort, "GET", "/list/secret%2Fapp", "Bearer " + crCredentials, null).statusCode())
                        .isEqualTo(200);
                assertThat(agentCall(agentPort, "POST", "/scan", null, "{\"credentials\":" + json
                        + ",\"images\":[\"secret/app:1.0\"],\"callbackUrl\":\"http://127.0.0.1:" + clientPort
                        + "/api/v2/import/result\"}").statusCode()).isEqualTo(202);
                saas.await(c -> c.path().equals("/api/v2/import/done"), 2, Duration.ofSeconds(60));
                assertThat(agentCall(agentPort, "GET", "/list/secret%2Fapp", base64(wrongJson), null).statusCode())
                        .isEqualTo(401);
                assertThat(agentCall(agentPort, "GET", "/systemcheck", null, "{\"credentials\":\"" + base64(wrongJson)
                        + "\"}").statusCode()).isEqualTo(401);
                assertThat(call(clientPort, "GET", "/systemcheck").statusCode()).isEqualTo(200);

                String basic = base64(registry.username() + ":" + registry.password());
                List<String> secrets = List.of(registry.password(), crCredentials, basic, SnykBroker.TOKEN,
                        WRONG_PASSWORD, base64(wrongJson), json);
                for (RunningJar jar : List.of(agent, client)) {
                    String output = jar.output();
                    assertThat(output.length()).as("verbose output").isGreaterThan(20_000);
                    for (String secret : secrets) {
                        assertThat(output).as("output holds a secret").doesNotContain(secret);
                    }
                }
                assertThat(agent.output()).as("the agent's routes traced, Authorization masked")
                        .contains(" Tracing - ").contains("job-worker").containsPattern("(?i)authorization=\\*\\*\\*")
                        .as("the JDK HTTP client's header log, through Log4j and masked")
                        .containsPattern("(?i)authorization: (basic )?\\*\\*\\*");
                assertThat(client.output()).as("the client's routes traced").contains(" Tracing - ")
                        .contains("client-downstream").contains("client-upstream");
            }
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> agentCall(int port, String method, String path, String authorization,
                                                  String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> call(int port, String method, String path) throws Exception {
        return agentCall(port, method, path, null, null);
    }
}
