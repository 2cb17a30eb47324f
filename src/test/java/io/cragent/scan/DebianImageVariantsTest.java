package io.cragent.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.registry.ImageReference;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistryEndpoint;
import io.cragent.registry.RegistrySettings;
import io.cragent.registry.http.HttpSettings;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.debian.DebianTestImage;
import io.cragent.scan.source.ArchiveSource;
import io.cragent.scan.source.ImageSource;
import io.cragent.scan.source.RegistrySource;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.OciLayout;
import io.cragent.testsupport.Processes;
import io.cragent.testsupport.ScanResults;
import io.cragent.testsupport.Skopeo;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Debian image of scanning.md §10 in the other forms §10 asks for — zstd layers, Docker v2 schema 2, a
 * docker-archive, and the amd64 entry of a multi-arch index — must give exactly the packages of its OCI archive
 * (which {@link DebianReferenceImageTest} compares with snyk-docker-plugin). The registry forms are scanned
 * through the CNCF registry over TLS with htpasswd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebianImageVariantsTest {
    private static final Duration SKOPEO = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private DistributionRegistry registry;
    private RegistryClient client;
    private Path archive;
    private Map<String, Set<String>> baseline;

    @BeforeAll
    void pushVariants(@TempDir Path out) throws Exception {
        archive = DebianTestImage.build(out.resolve("build"));
        baseline = ScanResults.packagesByTarget(scan(new ArchiveSource(archive, Platform.LINUX_AMD64, true)));
        registry = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD);
        String source = "oci-archive:" + archive;
        // zstd first: skopeo reuses blobs the registry already holds, even when asked to recompress.
        Skopeo.copyTo(registry, source, "variants/debian:zstd", "--dest-compress-format", "zstd", "--dest-compress");
        Skopeo.copyTo(registry, source, "variants/debian:v2s2", "--format", "v2s2");
        Skopeo.copyTo(registry, "oci:" + multiArchLayout(out.resolve("multi")) + ":multi", "variants/debian:multi",
                "--all");
        RegistrySettings d = RegistrySettings.defaults();
        HttpSettings http = new HttpSettings(d.http().connectTimeout(), d.http().requestTimeout(), d.http().idleTimeout(),
                1, Duration.ofMillis(20), d.http().maxRetryAfter(), 10, registry.caCertPath());
        client = new RegistryClients(new RegistrySettings(http, 100, 10, d.manifestCap(), d.configCap(), 4, Set.of(),
                true, d.realmHosts())).forCredentials(RegistryCredentials.basic(RegistryType.DOCKER_HUB,
                registry.username(), registry.password(), registry.hostPort()), RegistryEndpoint.PathMeaning.NAMESPACE);
    }

    @AfterAll
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theBaselineIsTheDebianImage() {
        assertThat(baseline.get("deb:os")).hasSize(92);
        assertThat(baseline.keySet()).contains("npm:/app/package.json", "maven:/opt/app", "pip:/app/requirements.txt");
    }

    @Test
    void zstdLayersGiveTheSamePackages() throws IOException {
        JsonNode response = scanTag("zstd", Platform.LINUX_AMD64);
        assertThat(layerMediaTypes("zstd")).allMatch(type -> type.endsWith("+zstd"));
        assertThat(ScanResults.packagesByTarget(response)).isEqualTo(baseline);
    }

    @Test
    void dockerV2Schema2GivesTheSamePackages() throws IOException {
        assertThat(layerMediaTypes("v2s2")).allMatch(type -> type.startsWith("application/vnd.docker."));
        assertThat(ScanResults.packagesByTarget(scanTag("v2s2", Platform.LINUX_AMD64))).isEqualTo(baseline);
    }

    @Test
    void theAmd64EntryOfAMultiArchIndexGivesTheSamePackages() throws IOException {
        assertThat(ScanResults.packagesByTarget(scanTag("multi", Platform.LINUX_AMD64))).isEqualTo(baseline);
        JsonNode arm = scanTag("multi", Platform.parse("linux/arm64/v8"));
        assertThat(ScanResults.packagesByTarget(arm)).doesNotContainKey("deb:os");
    }

    @Test
    void aDockerArchiveGivesTheSamePackages(@TempDir Path dir) throws IOException {
        Path dockerArchive = dir.resolve("debian-docker.tar");
        Processes.runChecked(SKOPEO, List.of("skopeo", "--insecure-policy", "copy", "oci-archive:" + archive,
                "docker-archive:" + dockerArchive + ":debian-test:12"));
        JsonNode response = scan(new ArchiveSource(dockerArchive, Platform.LINUX_AMD64, false));
        assertThat(ScanResults.packagesByTarget(response)).isEqualTo(baseline);
    }

    private JsonNode scanTag(String tag, Platform platform) throws IOException {
        return scan(new RegistrySource(client, new ImageReference("variants/debian", tag, null), platform,
                registry.hostPort() + "/variants/debian"));
    }

    private static JsonNode scan(ImageSource source) throws IOException {
        try (source) {
            return new ImageScanner(ScanSettings.defaults()).scan(source).pluginResponse();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private List<String> layerMediaTypes(String tag) throws IOException {
        JsonNode manifest = JSON.readTree(Skopeo.inspectRaw(registry, "variants/debian:" + tag));
        return manifest.path("layers").findValuesAsText("mediaType");
    }

    /** The Debian image as linux/amd64 and a small linux/arm64/v8 image, under one OCI index tagged "multi". */
    private Path multiArchLayout(Path dir) throws IOException {
        Processes.runChecked(SKOPEO, List.of("skopeo", "--insecure-policy", "copy", "oci-archive:" + archive,
                "oci:" + dir + ":debian"));
        JsonNode debian = JSON.readTree(Files.readAllBytes(dir.resolve("index.json"))).path("manifests").get(0);
        OciLayout layout = OciLayout.create(dir);
        OciLayout.Descriptor arm = TestImages.writeImage(layout,
                TestImages.ImageSpec.of(TestImages.Platform.LINUX_ARM64_V8));
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciLayout.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        manifests.addObject().put("mediaType", OciLayout.OCI_MANIFEST).put("digest", debian.path("digest").asText())
                .put("size", debian.path("size").asLong())
                .putObject("platform").put("architecture", "amd64").put("os", "linux");
        ObjectNode armEntry = arm.toJson(JSON);
        armEntry.putObject("platform").put("architecture", "arm64").put("os", "linux").put("variant", "v8");
        manifests.add(armEntry);
        layout.tag("multi", layout.writeJson(OciLayout.OCI_INDEX, index));
        return dir;
    }
}
