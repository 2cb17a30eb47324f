package io.cragent.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.ForwardProxy;
import io.cragent.testsupport.SharedFixtures;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar cr-agent.jar scan …} as a user runs it: outputs, files, exit codes. */
class ScanCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run scan(String... args) throws Exception {
        return scan(Map.of(), args);
    }

    private static Run scan(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-jar", Path.of(System.getProperty("agent.jar", "target/cr-agent.jar")).toString(), "scan"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("scan", ".out");
        Path err = Files.createTempFile("scan", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("scan finished").isTrue();
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void snykOutputOnStdout() throws Exception {
        Run run = scan("docker-archive:" + SharedFixtures.archive("docker-save-nginx.tar"));
        assertThat(run.exit()).as(run.stderr()).isZero();
        JsonNode os = JSON.readTree(run.stdout()).path("scanResults").get(0);
        assertThat(os.path("identity").path("type").asText()).isEqualTo("deb");
        assertThat(run.stderr()).contains("84 deb packages");
    }

    @Test
    void cycloneDxToAFile(@TempDir Path dir) throws Exception {
        Path sbom = dir.resolve("sbom.json");
        Run run = scan("oci-archive:" + SharedFixtures.archive("containerd-alpine.tar"), "--format", "cyclonedx",
                "--output", sbom.toString());
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isBlank();
        JsonNode bom = JSON.readTree(Files.readString(sbom, StandardCharsets.UTF_8));
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.path("components")).hasSize(15); // the OS and its 14 packages
        assertThat(bom.path("metadata").path("component").path("type").asText()).isEqualTo("container");
    }

    @Test
    void ociLayoutDirectory(@TempDir Path dir) throws Exception {
        Path layout = dir.resolve("layout");
        io.cragent.testsupport.Processes.runChecked(java.time.Duration.ofSeconds(60), List.of("skopeo", "--insecure-policy",
                "copy", "oci-archive:" + SharedFixtures.archive("containerd-alpine.tar"), "oci:" + layout + ":latest"));
        Run run = scan("oci:" + layout, "--format", "table");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("14 (apk)");
        assertThat(scan("oci:" + dir.resolve("missing")).exit()).isEqualTo(2);
    }

    @Test
    void readableTable() throws Exception {
        Run run = scan(SharedFixtures.archive("docker-save-dockergoof.tar").toString(), "--format", "table");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Debian GNU/Linux 8 (jessie)").contains("381 (deb)").contains("openssl/libssl1.0.0");
    }

    @Test
    void applicationResultsAndTheirOptions() throws Exception {
        String java = "docker-archive:" + SharedFixtures.archive("docker-save-java.tar");
        JsonNode all = JSON.readTree(scan(java).stdout()).path("scanResults");
        assertThat(all).hasSize(3); // the OS result and the maven results of /app and /libs
        JsonNode osOnly = JSON.readTree(scan(java, "--exclude-app-vulns").stdout()).path("scanResults");
        assertThat(osOnly).hasSize(1);

        Run sbom = scan(java, "--format", "cyclonedx");
        assertThat(JSON.readTree(sbom.stdout()).path("components").findValuesAsText("purl"))
                .contains("pkg:maven/org.apache.yetus/audience-annotations@0.5.0");

        Run table = scan("docker-archive:" + SharedFixtures.archive("npm7-with-package-lock-file.tar"), "--format", "table",
                "--exclude-node-modules");
        assertThat(table.stdout()).contains("npm  /goof/package.json  (64 packages)").contains("express  4.19.2");
        assertThat(scan(java, "--nested-jars-depth", "many").exit()).isEqualTo(2);
    }

    @Test
    void badInputAndFailedScansHaveDistinctExitCodes() throws Exception {
        assertThat(scan().exit()).isEqualTo(2);
        assertThat(scan("docker-archive:/nonexistent.tar").exit()).isEqualTo(2);
        assertThat(scan("x", "--format", "xml").exit()).isEqualTo(2);
        Run unreachable = scan("127.0.0.1:1/app:1");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.stderr()).contains("REGISTRY_UNAVAILABLE");
    }

    /**
     * A wrong password, given as an option and as {@code CR_PASSWORD}, against the CNCF registry (htpasswd), at the
     * most verbose level with the JDK's HTTP client printing every request header (an operator debugging): the
     * error says the registry refused the login, and neither the password nor its Basic form shows anywhere.
     */
    @Test
    void aRefusedLoginIsReportedWithoutItsPassword() throws Exception {
        String password = "Wr0ng-pa55word-for-scan";
        try (DistributionRegistry registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD)) {
            TestImages.pushImage(registry, "secret/app", "1.0", TestImages.Format.OCI);
            String basic = Base64.getEncoder().encodeToString((registry.username() + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            String image = registry.hostPort() + "/secret/app:1.0";
            Map<String, String> verbose = Map.of("LOG_LEVEL", "trace",
                    "JAVA_TOOL_OPTIONS", "-Djdk.httpclient.HttpClient.log=headers");
            Map<String, String> withEnvPassword = new java.util.HashMap<>(verbose);
            withEnvPassword.put("CR_USERNAME", registry.username());
            withEnvPassword.put("CR_PASSWORD", password);
            for (Run run : List.of(
                    scan(verbose, image, "--insecure-registry", registry.hostPort(), "--username", registry.username(),
                            "--password", password),
                    scan(withEnvPassword, image, "--insecure-registry", registry.hostPort()))) {
                assertThat(run.exit()).as(run.stderr()).isEqualTo(1);
                assertThat(run.stderr()).contains("AUTH_FAILED: the registry rejected the credentials")
                        .contains("Authorization: ***");
                assertThat(run.stdout() + run.stderr()).doesNotContain(password).doesNotContain(basic);
            }
        }
    }

    /** {@code HTTPS_PROXY} with credentials, as for the agent: the TLS registry is reached through the proxy's tunnel. */
    @Test
    void theRegistryIsReachedThroughTheProxyOfTheEnvironment() throws Exception {
        try (DistributionRegistry registry = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD);
             ForwardProxy proxy = ForwardProxy.requiring("scan-user", "pr0xy-pa55")) {
            TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI);
            Map<String, String> env = Map.of("HTTPS_PROXY", proxy.url("scan-user", "pr0xy-pa55"),
                    "CA_CERT", registry.caCertPath().toString(), "CR_USERNAME", registry.username(),
                    "CR_PASSWORD", registry.password());
            Run run = scan(env, registry.hostPort() + "/team/app:1.0");
            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(JSON.readTree(run.stdout()).path("scanResults")).isNotEmpty();
            assertThat(proxy.seen()).as("CONNECTs through the proxy")
                    .anyMatch(seen -> seen.request().equals("CONNECT " + registry.hostPort()) && seen.status() == 200);
            assertThat(run.stdout() + run.stderr()).doesNotContain("pr0xy-pa55");

            Run refused = scan(Map.of("HTTPS_PROXY", proxy.url("scan-user", "wrong"), "CA_CERT",
                    registry.caCertPath().toString()), registry.hostPort() + "/team/app:1.0");
            assertThat(refused.exit()).as(refused.stderr()).isEqualTo(1);
            assertThat(refused.stderr()).contains("refused the credentials in HTTPS_PROXY").doesNotContain("wrong");
        }
    }
}
