package io.cragent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.RunningJar;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded jar as operators run it: {@code java -jar target/cr-agent.jar}, configured only through environment
 * variables, against the real registry in each auth mode.
 */
class AgentJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @EnumSource(value = DistributionRegistry.Mode.class, names = {"TLS_HTPASSWD", "TLS_TOKEN", "PLAIN_HTPASSWD"})
    void servesTheApiAgainstARealRegistry(DistributionRegistry.Mode mode) throws Exception {
        servesTheApi(mode, javaHome());
    }

    /** The build targets release 17 and must also run on the newest LTS, which these machines carry. */
    @Test
    void runsOnJava25() throws Exception {
        Path java25 = Files.list(Path.of("/usr/lib/jvm")).filter(p -> p.getFileName().toString().startsWith("temurin-25"))
                .findFirst().orElseThrow(() -> new AssertionError("Temurin 25 is expected under /usr/lib/jvm"));
        servesTheApi(DistributionRegistry.Mode.TLS_TOKEN, java25);
    }

    private void servesTheApi(DistributionRegistry.Mode mode, Path javaHome) throws Exception {
        try (DistributionRegistry registry = DistributionRegistry.start(mode)) {
            TestImages.PushedIndex index = TestImages.pushMultiArch(registry, "jar/multi", "v1", TestImages.Format.OCI);
            int port = FreePorts.next();
            Map<String, String> env = new java.util.HashMap<>(Map.of("SNYK_PORT", String.valueOf(port),
                    "CR_AGENT_HOST", "127.0.0.1", "CR_AGENT_ALLOW_LOOPBACK_REGISTRY", "true", "LOG_LEVEL", "debug"));
            if (registry.isTls()) {
                env.put("CA_CERT", registry.caCertPath().toString());
            } else {
                env.put("CR_AGENT_INSECURE_REGISTRIES", registry.hostPort());
            }
            String creds = Base64.getEncoder().encodeToString(("{\"type\":\"artifactory-cr\", \"username\":\""
                    + registry.username() + "\", \"password\":\"" + registry.password() + "\", \"registryBase\":\""
                    + registry.hostPort() + "\"}\n").getBytes(StandardCharsets.UTF_8));
            try (RunningJar agent = RunningJar.start(javaHome, env, port)) {
                assertThat(get(port, "/systemcheck", creds).path("ok").asBoolean()).isTrue();
                assertThat(get(port, "/list", creds).toString()).contains("jar/multi");
                JsonNode arm = get(port, "/image-metadata/jar/multi:v1?platform=linux/arm64", creds);
                assertThat(arm.path("manifestDigest").asText()).isEqualTo(index.digestFor(TestImages.Platform.LINUX_ARM64_V8));
                JsonNode amd = get(port, "/image-metadata/jar/multi:v1", creds);
                assertThat(amd.path("manifestDigest").asText()).isEqualTo(index.digestFor(TestImages.Platform.LINUX_AMD64));
                assertThat(agent.output()).as("debug log").doesNotContain(registry.password()).doesNotContain(creds);
            }
        }
    }

    @Test
    void theClientCommandWithoutItsSettingsSaysWhatIsMissing() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(javaHome().resolve("bin/java").toString(), "-jar", RunningJar.jar().toString(),
                "client").redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("BROKER_") || name.startsWith("CR_"));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(out).contains("BROKER_TOKEN must be set");
    }

    private JsonNode get(int port, String path, String creds) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", creds).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }
}
