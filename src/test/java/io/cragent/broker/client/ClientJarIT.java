package io.cragent.broker.client;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole chain as operators run it, every part its own process: the real snyk-broker 5.22.14 server,
 * {@code java -jar cr-agent.jar client} configured by snyk's variables (CR_CREDENTIALS built from CR_TYPE,
 * CR_USERNAME, CR_PASSWORD, CR_BASE), {@code java -jar cr-agent.jar} as the agent, the CNCF registry.
 */
class ClientJarIT {

    @Test
    void listsThroughServerClientAndAgentJarsAndRelaysCallbacks() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        try (DistributionRegistry registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
             FakeSaas saas = new FakeSaas();
             SnykBroker server = SnykBroker.server(saas.origin())) {
            TestImages.pushImage(registry, "jar/app", "2.0", TestImages.Format.OCI);
            int agentPort = FreePorts.next();
            int clientPort = FreePorts.next();
            Map<String, String> agentEnv = Map.of("SNYK_PORT", String.valueOf(agentPort), "CR_AGENT_HOST", "127.0.0.1",
                    "CR_AGENT_ALLOW_LOOPBACK_REGISTRY", "true", "CR_AGENT_INSECURE_REGISTRIES", registry.hostPort());
            Map<String, String> clientEnv = new HashMap<>();
            clientEnv.put("BROKER_TOKEN", SnykBroker.TOKEN);
            clientEnv.put("BROKER_SERVER_URL", server.url());
            clientEnv.put("BROKER_CLIENT_URL", "http://127.0.0.1:" + clientPort);
            clientEnv.put("PORT", String.valueOf(clientPort));
            clientEnv.put("CR_CLIENT_HOST", "127.0.0.1");
            clientEnv.put("CR_AGENT_URL", "http://127.0.0.1:" + agentPort);
            clientEnv.put("CR_TYPE", "docker-hub");
            clientEnv.put("CR_USERNAME", registry.username());
            clientEnv.put("CR_PASSWORD", registry.password());
            clientEnv.put("CR_BASE", registry.hostPort());
            clientEnv.put("BROKER_CLIENT_VALIDATION_URL", "http://127.0.0.1:" + agentPort + "/systemcheck");
            try (RunningJar agent = RunningJar.start(javaHome, agentEnv, agentPort);
                 RunningJar client = RunningJar.start(javaHome, clientEnv, clientPort, "client")) {
                server.awaitClientConnected(Duration.ofSeconds(30));
                HttpResponse<String> tags = server.call("GET", "/broker/" + SnykBroker.TOKEN + "/list/jar%2Fapp",
                        Map.of("authorization", "${CR_CREDENTIALS}", "x-broker-var-sub", "authorization"), null);
                assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
                assertThat(tags.body()).isEqualTo("[\"2.0\"]");

                HttpResponse<String> check = call(clientPort, "GET", "/systemcheck", null);
                assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
                HttpResponse<String> callback = call(clientPort, "POST", "/api/v2/import/done", "{\"done\":true}");
                assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
                assertThat(saas.await(c -> c.path().equals("/api/v2/import/done"), 1, Duration.ofSeconds(10)).get(0)
                        .body()).isEqualTo("{\"done\":true}");
                assertThat(client.output()).as("the client's log").doesNotContain(registry.password())
                        .doesNotContain(SnykBroker.TOKEN);
            }
        }
    }

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
