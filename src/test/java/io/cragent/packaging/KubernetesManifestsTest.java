package io.cragent.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s, read as the API server would get it (kustomize only adds labels and the image tag): every document
 * parses, every setting each process reads can be set and keeps its default unless the deployment means otherwise,
 * secrets only come from Secrets, and the pods are hardened, probed and wired to each other.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("deploy/k8s");
    private static final YAMLMapper YAML = new YAMLMapper();
    /** Settings whose value in the manifests is a deployment choice, not the process's default. */
    private static final Map<String, Set<String>> DEPLOYMENT_CHOICES = Map.of(
            "agent", Set.of("CR_AGENT_DATA_DIR", "BROKER_CLIENT_URL"),
            "client", Set.of("BROKER_SERVER_URL", "CR_TYPE", "CR_BASE", "CR_AGENT_URL", "BROKER_CLIENT_URL",
                    "BROKER_CLIENT_VALIDATION_URL"));
    private static final String SECRET_NAME = ".*(TOKEN|PASSWORD|SECRET|CREDENTIALS|AUTH).*";

    private static List<JsonNode> applied;
    private static List<JsonNode> secrets;

    @BeforeAll
    static void read() throws IOException {
        JsonNode kustomization = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.path("kind").asText()).isEqualTo("Kustomization");
        List<String> resources = new ArrayList<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml") && !f.contains(".example.")))
                    .as("every manifest is applied").containsExactlyInAnyOrderElementsOf(resources);
        }
        applied = new ArrayList<>();
        for (String resource : resources) {
            applied.addAll(documents(DIR.resolve(resource)));
        }
        secrets = documents(DIR.resolve("secrets.example.yaml"));
        assertThat(kustomization.path("images").get(0).path("name").asText()).isEqualTo("cr-agent");
    }

    @Test
    void everyDocumentIsAKubernetesObject() {
        assertThat(applied).hasSizeGreaterThanOrEqualTo(8);
        for (JsonNode doc : concat(applied, secrets)) {
            assertThat(doc.path("apiVersion").asText()).as(doc.toString()).isNotEmpty();
            assertThat(doc.path("kind").asText()).isNotEmpty();
            assertThat(doc.path("metadata").path("name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        }
        assertThat(applied).noneMatch(d -> d.path("kind").asText().equals("Secret"));
    }

    @Test
    void everySettingTheAgentReadsIsSettable() {
        checkSettings("agent", EnvDefaults.agent());
        assertThat(configMap("agent").path("CR_AGENT_DATA_DIR").asText()).isEqualTo(dataVolumePath());
    }

    @Test
    void podsAreGivenLongerToStopThanTheProcessesTakeToFinishTheirWork() {
        for (String[] role : new String[][]{{"agent", "CR_AGENT_SHUTDOWN_SECONDS"}, {"client", "CR_CLIENT_SHUTDOWN_SECONDS"}}) {
            int shutdown = Integer.parseInt(configMap(role[0]).path(role[1]).asText());
            assertThat(podSpec(role[0]).path("terminationGracePeriodSeconds").asInt()).as(role[0])
                    .isGreaterThan(shutdown);
        }
    }

    @Test
    void everySettingTheClientReadsIsSettable() {
        checkSettings("client", EnvDefaults.client());
        JsonNode config = configMap("client");
        // Snyk's per-type inputs (spec section 2), whichever build of the client this is.
        assertThat(config.fieldNames()).toIterable().contains("CR_TYPE", "CR_BASE", "CR_ROLE_ARN", "CR_REGION",
                "CR_EXTERNAL_ID", "BROKER_SERVER_URL", "BROKER_CLIENT_URL", "CR_AGENT_URL");
        assertThat(secret("client").fieldNames()).toIterable()
                .contains("BROKER_TOKEN", "CR_USERNAME", "CR_PASSWORD", "CR_TOKEN");
    }

    @Test
    void podsRunHardenedAsTheImagesUser() throws IOException {
        String imageUser = DockerfileModel.read(Path.of("Dockerfile")).only("USER").args().split(":")[0];
        for (String role : List.of("agent", "client")) {
            JsonNode pod = deployment(role).path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(role).isTrue();
            assertThat(pod.path("securityContext").path("runAsUser").asText()).isEqualTo(imageUser);
            JsonNode container = container(role);
            assertThat(container.path("args").get(0).asText()).isEqualTo(role);
            assertThat(container.path("image").asText()).isEqualTo("cr-agent");
            JsonNode security = container.path("securityContext");
            assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(role).isTrue();
            assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(security.path("capabilities").path("drop").toString()).contains("ALL");
            assertThat(container.path("resources").path("requests").path("memory").asText()).isNotEmpty();
            assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
            // The root file system is read-only: the JVM and the native libraries need a writable /tmp.
            assertThat(mountPaths(container)).contains("/tmp");
        }
        JsonNode data = volume("agent", "/var/lib/cr-agent");
        String claim = data.path("persistentVolumeClaim").path("claimName").asText();
        assertThat(applied).anyMatch(d -> d.path("kind").asText().equals("PersistentVolumeClaim")
                && d.path("metadata").path("name").asText().equals(claim));
        assertThat(deployment("agent").path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
    }

    @Test
    void probesCheckHealthOnThePortTheProcessListensOn() {
        Map<String, String> portSetting = Map.of("agent", "SNYK_PORT", "client", "PORT");
        for (String role : List.of("agent", "client")) {
            JsonNode container = container(role);
            JsonNode port = container.path("ports").get(0);
            assertThat(port.path("containerPort").asText()).as(role)
                    .isEqualTo(configMap(role).path(portSetting.get(role)).asText());
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode get = container.path(probe).path("httpGet");
                assertThat(get.path("path").asText()).as(role + " " + probe).isEqualTo("/healthcheck");
                assertThat(get.path("port").asText()).isEqualTo(port.path("name").asText());
            }
            JsonNode service = object("Service", "cr-agent-" + role).path("spec").path("ports").get(0);
            assertThat(service.path("targetPort").asText()).isEqualTo(port.path("name").asText());
            assertThat(service.path("port").asText()).isEqualTo(port.path("containerPort").asText());
        }
    }

    @Test
    void clientAndAgentReachEachOthersServices() {
        URI agent = URI.create(configMap("client").path("CR_AGENT_URL").asText());
        assertThat(agent.getHost()).isEqualTo("cr-agent-agent");
        assertThat(agent.getPort()).isEqualTo(container("agent").path("ports").get(0).path("containerPort").asInt());
        URI validation = URI.create(configMap("client").path("BROKER_CLIENT_VALIDATION_URL").asText());
        assertThat(validation.getHost() + ":" + validation.getPort() + validation.getPath())
                .isEqualTo("cr-agent-agent:" + agent.getPort() + "/systemcheck");
        for (String callbacks : List.of(configMap("agent").path("BROKER_CLIENT_URL").asText(),
                configMap("client").path("BROKER_CLIENT_URL").asText())) {
            URI uri = URI.create(callbacks);
            assertThat(uri.getHost()).isEqualTo("cr-agent-client");
            assertThat(uri.getPort()).isEqualTo(container("client").path("ports").get(0).path("containerPort").asInt());
        }
        JsonNode from = object("NetworkPolicy", "cr-agent-agent").path("spec").path("ingress").get(0).path("from");
        assertThat(from.get(0).path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asText())
                .isEqualTo("client");
    }

    /** Every variable is in the role's ConfigMap or its Secret; values keep the defaults unless chosen. */
    private static void checkSettings(String role, Map<String, String> read) {
        assertThat(read).isNotEmpty();
        JsonNode config = configMap(role);
        JsonNode secret = secret(role);
        List<String> refs = new ArrayList<>();
        container(role).path("envFrom").forEach(e -> refs.add(e.findPath("name").asText()));
        assertThat(refs).contains("cr-agent-" + role, "cr-agent-" + role + "-secrets");
        for (var setting : read.entrySet()) {
            String name = setting.getKey();
            if (name.matches(SECRET_NAME) || secret.has(name)) {
                assertThat(secret.has(name)).as(role + " secret " + name + " in secrets.example.yaml").isTrue();
                assertThat(config.has(name)).as(name + " in the Secret only").isFalse();
                continue;
            }
            assertThat(config.has(name)).as(role + " setting " + name + " in its ConfigMap").isTrue();
            String value = config.path(name).asText();
            if (DEPLOYMENT_CHOICES.get(role).contains(name)) {
                assertThat(value).as(name).isNotEmpty();
            } else if (!setting.getValue().contains("{{")) {
                assertThat(value).as(role + " " + name + " keeps the process's default").isEqualTo(setting.getValue());
            }
        }
        config.fieldNames().forEachRemaining(name -> assertThat(name).as("a secret in a ConfigMap")
                .doesNotMatch(SECRET_NAME));
        if (EnvDefaults.hasPropertiesFile(role)) {
            config.fieldNames().forEachRemaining(name -> assertThat(read).as(role + " reads " + name).containsKey(name));
        }
    }

    private static String dataVolumePath() {
        return mountPaths(container("agent")).stream().filter(p -> p.startsWith("/var/lib/")).findFirst().orElseThrow();
    }

    private static JsonNode volume(String role, String mountPath) {
        JsonNode mount = stream(container(role).path("volumeMounts"))
                .filter(m -> m.path("mountPath").asText().equals(mountPath)).findFirst().orElseThrow();
        return stream(deployment(role).path("spec").path("template").path("spec").path("volumes"))
                .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst().orElseThrow();
    }

    private static List<String> mountPaths(JsonNode container) {
        return stream(container.path("volumeMounts")).map(m -> m.path("mountPath").asText()).toList();
    }

    private static JsonNode configMap(String role) {
        return object("ConfigMap", "cr-agent-" + role).path("data");
    }

    private static JsonNode secret(String role) {
        return secrets.stream().filter(d -> d.path("metadata").path("name").asText().equals("cr-agent-" + role + "-secrets"))
                .findFirst().orElseThrow().path("stringData");
    }

    private static JsonNode deployment(String role) {
        return object("Deployment", "cr-agent-" + role);
    }

    private static JsonNode podSpec(String role) {
        return deployment(role).path("spec").path("template").path("spec");
    }

    private static JsonNode container(String role) {
        return podSpec(role).path("containers").get(0);
    }

    private static JsonNode object(String kind, String name) {
        return applied.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            return values.readAll().stream().filter(d -> !d.isNull() && !d.isMissingNode()).toList();
        }
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
