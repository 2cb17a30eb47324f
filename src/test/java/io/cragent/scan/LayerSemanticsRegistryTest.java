package io.cragent.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.cragent.scan.source.RegistrySource;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.OciLayout;
import io.cragent.testsupport.ReferenceScanner;
import io.cragent.testsupport.ScanResults;
import io.cragent.testsupport.Skopeo;
import io.cragent.testsupport.TarLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layer semantics through the real registry, against the reference: where snyk-docker-plugin 9.20.2 is wrong
 * (scanning.md §9: opaque whiteouts ignored, {@code .wh.} matched anywhere in a path) we differ, deliberately and
 * asserted here; everywhere else the results are equal, for gzip and zstd layers alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayerSemanticsRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private DistributionRegistry registry;
    private RegistryClient client;

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD);
        byte[] apk;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/os/alpine-3.7.0/lib/apk/db/installed")) {
            apk = in.readAllBytes();
        }
        // An apk database hidden by an opaque marker above it; a distroless status.d below stays visible.
        push(work.resolve("opaque"), "semantics/opaque", List.of(
                TarLayer.builder().file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n").file("lib/apk/db/installed", apk)
                        .file("var/lib/dpkg/status.d/base-files", stanza("base-files", "12.4+deb12u5")).build(),
                TarLayer.builder().file("lib/apk/db/.wh..wh..opq", "").build()));
        // "which" contains ".wh." by the reference's regex; tzdata is whited out for real.
        // zstd first: skopeo reuses blobs the registry already holds, even when asked to recompress.
        Path plain = work.resolve("names");
        push(plain, "semantics/names-zstd", List.of(
                TarLayer.builder().file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
                        .file("var/lib/dpkg/status.d/which", stanza("which", "2.21-1"))
                        .file("var/lib/dpkg/status.d/tzdata", stanza("tzdata", "2024a-0+deb12u1"))
                        .file("var/lib/dpkg/status.d/bash", stanza("bash", "5.2.15-2+b7")).build(),
                TarLayer.builder().file("var/lib/dpkg/status.d/.wh.tzdata", "").build()));
        Skopeo.copyTo(registry, "oci:" + plain + ":1", "semantics/names:1");
        RegistrySettings d = RegistrySettings.defaults();
        HttpSettings http = new HttpSettings(d.http().connectTimeout(), d.http().requestTimeout(), d.http().idleTimeout(),
                1, Duration.ofMillis(20), d.http().maxRetryAfter(), 10, registry.caCertPath());
        client = new RegistryClients(new RegistrySettings(http, 100, 10, d.manifestCap(), d.configCap(), 4, Set.of(), true,
                d.realmHosts())).forCredentials(RegistryCredentials.basic(RegistryType.DOCKER_HUB, registry.username(),
                registry.password(), registry.hostPort()), RegistryEndpoint.PathMeaning.NAMESPACE);
    }

    @AfterAll
    void stop() {
        registry.close();
    }

    private static String stanza(String name, String version) {
        return "Package: " + name + "\nStatus: install ok installed\nVersion: " + version + "\nArchitecture: amd64\n";
    }

    private void push(Path dir, String repoAndTag, List<TarLayer.Built> layers) {
        push(dir, repoAndTag, layers, repoAndTag.endsWith("-zstd"));
    }

    private void push(Path dir, String repoAndTag, List<TarLayer.Built> layers, boolean zstd) {
        OciLayout layout = OciLayout.create(dir);
        List<OciLayout.Descriptor> blobs = layers.stream().map(l -> layout.writeBlob(OciLayout.OCI_LAYER_GZIP, l.gzip())).toList();
        ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("config");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        layers.forEach(l -> rootfs.withArray("diff_ids").add(l.diffId()));
        OciLayout.Descriptor configBlob = layout.writeJson(OciLayout.OCI_CONFIG, config);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciLayout.OCI_MANIFEST);
        manifest.set("config", configBlob.toJson(JSON));
        blobs.forEach(b -> manifest.withArray("layers").add(b.toJson(JSON)));
        layout.tag("1", layout.writeJson(OciLayout.OCI_MANIFEST, manifest));
        if (zstd) {
            Skopeo.copyTo(registry, "oci:" + dir + ":1", repoAndTag + ":1", "--dest-compress-format", "zstd", "--dest-compress");
        } else {
            Skopeo.copyTo(registry, "oci:" + dir + ":1", repoAndTag + ":1");
        }
    }

    private JsonNode[] scanBoth(String repository) throws IOException {
        RegistrySource source = new RegistrySource(client, new ImageReference(repository, "1", null), Platform.LINUX_AMD64,
                registry.hostPort() + "/" + repository);
        JsonNode ours = new ImageScanner(ScanSettings.defaults()).scan(source).pluginResponse().path("scanResults").get(0);
        JsonNode theirs = ReferenceScanner.installed().withCaCert(registry.caCertPath()).scan(
                registry.hostPort() + "/" + repository + ":1",
                Map.of("username", registry.username(), "password", registry.password())).path("scanResults").get(0);
        return new JsonNode[]{ours, theirs};
    }

    @Test
    void opaqueWhiteoutsHideLowerLayersWhereTheReferenceIgnoresThem() throws IOException {
        JsonNode[] results = scanBoth("semantics/opaque");
        assertThat(results[0].path("identity").path("type").asText()).isEqualTo("deb");
        assertThat(ScanResults.packageIds(results[0])).containsExactly("base-files@12.4+deb12u5");
        assertThat(results[1].path("identity").path("type").asText()).as("the reference").isEqualTo("apk");
        assertThat(ScanResults.packageIds(results[1])).hasSize(11);
    }

    @Test
    void whiteoutsAreBasenamePrefixesOnly() throws IOException {
        JsonNode[] results = scanBoth("semantics/names");
        assertThat(ScanResults.packageIds(results[0])).containsExactlyInAnyOrder("which@2.21-1", "bash@5.2.15-2+b7");
        assertThat(ScanResults.packageIds(results[1])).as("the reference drops 'which'").containsExactly("bash@5.2.15-2+b7");
    }

    @Test
    void zstdLayersGiveTheSameResults() throws IOException {
        JsonNode[] gzip = scanBoth("semantics/names");
        JsonNode[] zstd = scanBoth("semantics/names-zstd");
        assertThat(ScanResults.packageIds(zstd[0])).isEqualTo(ScanResults.packageIds(gzip[0]));
        assertThat(ScanResults.packageIds(zstd[1])).isEqualTo(ScanResults.packageIds(gzip[1]));
        assertThat(new String(Skopeo.inspectRaw(registry, "semantics/names-zstd:1"), StandardCharsets.UTF_8)).contains("zstd");
    }
}
