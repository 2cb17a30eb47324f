package io.cragent.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.Processes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile's class-data-sharing step, run here on the packaged jar as the image build runs it
 * (docker/cds-train.sh), then the image's own JVM flags with the archive forced on (-Xshare:on fails when it cannot
 * be mapped): `scan` gives the same result as without the archive and loads its classes from it, and so does the agent.
 */
class CdsArchiveIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of(System.getProperty("agent.jar", "target/cr-agent.jar")).toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    static Path work;
    private static Path archive;
    private static Path image;
    private static List<String> imageFlags;

    @BeforeAll
    static void train() throws Exception {
        archive = work.resolve("cr-agent.jsa");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", Path.of(JAVA).getParent() + ":" + System.getenv("PATH")); // the archive fits this JVM only
        env.put("CDS_AGENT_PORT", String.valueOf(FreePorts.next()));
        env.put("CDS_CLIENT_PORT", String.valueOf(FreePorts.next()));
        Processes.runChecked(Duration.ofMinutes(5), List.of("bash", "docker/cds-train.sh", JAR.toString(),
                archive.toString()), env, null);
        assertThat(Files.size(archive)).isGreaterThan(10_000_000L);
        image = work.resolve("image");
        Processes.runChecked(Duration.ofSeconds(30), List.of("sh", "docker/cds-training-image.sh", image.toString()));
        imageFlags = entryPointFlags();
    }

    /** The ENTRYPOINT's JVM options, pointed at this jar's archive. */
    private static List<String> entryPointFlags() throws Exception {
        List<String> entry = DockerfileModel.read(Path.of("Dockerfile")).only("ENTRYPOINT").execForm();
        List<String> flags = new ArrayList<>();
        for (String flag : entry.subList(1, entry.indexOf("-jar"))) {
            flags.add(flag.startsWith("-XX:SharedArchiveFile=") ? "-XX:SharedArchiveFile=" + archive : flag);
        }
        return flags;
    }

    private static List<String> java(boolean withArchive, Path classLog, String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA));
        if (withArchive) {
            command.addAll(imageFlags);
            command.add("-Xshare:on");
            command.add("-Xlog:class+load=info:file=" + classLog);
        }
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void scanLoadsItsClassesFromTheArchiveAndAnswersTheSame() throws Exception {
        Path classLog = work.resolve("scan-classes.log");
        String target = "oci:" + image;
        var plain = Processes.runChecked(Duration.ofMinutes(2), java(false, null, "scan", target), Map.of(), null);
        var shared = Processes.runChecked(Duration.ofMinutes(2), java(true, classLog, "scan", target), Map.of(), null);
        assertThat(shared.stdoutText()).isEqualTo(plain.stdoutText());
        assertThat(JSON.readTree(shared.stdoutText()).path("scanResults").get(0).path("identity").path("type").asText())
                .isEqualTo("apk");
        assertThat(Files.readString(classLog))
                .contains("io.cragent.scan.ImageScanner source: shared objects file")
                .contains("io.cragent.scan.os.ApkAnalyzer source: shared objects file");
    }

    @Test
    void theAgentStartsOnTheArchive() throws Exception {
        Path classLog = work.resolve("agent-classes.log");
        int port = FreePorts.next();
        ProcessBuilder builder = new ProcessBuilder(java(true, classLog, "agent"))
                .redirectErrorStream(true).redirectOutput(work.resolve("agent.out").toFile());
        builder.environment().putAll(Map.of("SNYK_PORT", String.valueOf(port), "CR_AGENT_HOST", "127.0.0.1",
                "CR_AGENT_DATA_DIR", work.resolve("agent-data").toString()));
        Process agent = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthcheck"))
                    .timeout(Duration.ofSeconds(5)).build();
            int status = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (status != 200 && agent.isAlive() && System.nanoTime() < deadline) {
                try {
                    status = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertThat(status).as(Files.readString(work.resolve("agent.out"))).isEqualTo(200);
            assertThat(Files.readString(classLog))
                    .contains("org.apache.camel.impl.DefaultCamelContext source: shared objects file")
                    .contains("io.cragent.agent.routes.AgentApiRoutes source: shared objects file");
        } finally {
            Processes.destroyTree(agent);
        }
    }
}
