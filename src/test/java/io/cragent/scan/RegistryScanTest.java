package io.cragent.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.ImageReference;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistryEndpoint;
import io.cragent.registry.RegistrySettings;
import io.cragent.registry.http.HttpSettings;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.source.RegistrySource;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.ReferenceScanner;
import io.cragent.testsupport.ScanResults;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scanning straight from the real registry (TLS, private CA, htpasswd): layers stream from the registry into the
 * scanner, and the OS result equals snyk-docker-plugin's scan of the same image through the same registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryScanTest {
    private DistributionRegistry registry;
    private RegistryClient client;

    @BeforeAll
    void start() throws IOException {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD);
        String status = TestImages.ubuntuDpkgStatus();
        TestImages.ImageSpec spec = TestImages.ImageSpec.of(TestImages.Platform.LINUX_AMD64)
                .withFile("etc/os-release", "ID=ubuntu\nVERSION_ID=\"10.04\"\nPRETTY_NAME=\"Ubuntu 10.04.4 LTS\"\n")
                .withFile("var/lib/dpkg/status", status)
                .withLabel("org.opencontainers.image.title", "ubuntu-packages");
        TestImages.pushImage(registry, "scan/ubuntu", "10.04", TestImages.Format.OCI, spec);
        TestImages.pushMultiArch(registry, "scan/multi", "v1", TestImages.Format.OCI);
        RegistrySettings d = RegistrySettings.defaults();
        HttpSettings http = new HttpSettings(d.http().connectTimeout(), d.http().requestTimeout(), d.http().idleTimeout(),
                1, Duration.ofMillis(20), d.http().maxRetryAfter(), 10, registry.caCertPath());
        client = new RegistryClients(new RegistrySettings(http, 100, 10, d.manifestCap(), d.configCap(), 4, java.util.Set.of(),
                true, d.realmHosts())).forCredentials(RegistryCredentials.basic(RegistryType.DOCKER_HUB, registry.username(),
                registry.password(), registry.hostPort()), RegistryEndpoint.PathMeaning.NAMESPACE);
    }

    @AfterAll
    void stop() {
        registry.close();
    }

    private ScanReport scan(String repository, String tag, String platform, ScanSettings settings) throws IOException {
        RegistrySource source = new RegistrySource(client, new ImageReference(repository, tag, null), Platform.parse(platform),
                registry.hostPort() + "/" + repository);
        return new ImageScanner(settings).scan(source);
    }

    @Test
    void registryScanEqualsTheReferenceScan() throws IOException {
        ScanReport ours = scan("scan/ubuntu", "10.04", "linux/amd64", ScanSettings.defaults());
        JsonNode theirs = ReferenceScanner.installed().withCaCert(registry.caCertPath()).scan(
                registry.hostPort() + "/scan/ubuntu:10.04",
                Map.of("username", registry.username(), "password", registry.password(), "platform", "linux/amd64"));
        JsonNode ourOs = ours.pluginResponse().path("scanResults").get(0);
        JsonNode theirOs = theirs.path("scanResults").get(0);
        assertThat(ScanResults.packageIds(ourOs)).hasSize(140).isEqualTo(ScanResults.packageIds(theirOs));
        assertThat(ScanResults.os(ourOs)).isEqualTo("ubuntu:10.04").isEqualTo(ScanResults.os(theirOs));
        assertThat(ScanResults.rootPkgId(ScanResults.fact(ourOs, "depGraph")))
                .isEqualTo(ScanResults.rootPkgId(ScanResults.fact(theirOs, "depGraph")));
        assertThat(ScanResults.fact(ourOs, "imageNames").path("names").toString())
                .isEqualTo(ScanResults.fact(theirOs, "imageNames").path("names").toString());
        assertThat(ScanResults.fact(ourOs, "imageLabels").path("org.opencontainers.image.title").asText())
                .isEqualTo("ubuntu-packages");
        assertThat(ScanResults.fact(ourOs, "imageId").asText()).isEqualTo(ScanResults.fact(theirOs, "imageId").asText());
    }

    /** The three rpm database formats, each in an image of its distribution, scanned by both scanners. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "sqlite-cbl-mariner-2.0/rpmdb.sqlite, var/lib/rpm/rpmdb.sqlite, mariner, 2.0, 129",
            "ndb-sle15-bci/Packages.db, usr/lib/sysimage/rpm/Packages.db, sles, 15.3, 35",
            "bdb-generated-129/Packages, var/lib/rpm/Packages, mariner, 2.0, 129",
    })
    void rpmImagesEqualTheReference(String fixture, String path, String os, String version, int count) throws IOException {
        byte[] db;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/rpmdb/" + fixture)) {
            db = in.readAllBytes();
        }
        String repository = "rpm/" + os + "-" + path.replaceAll("[^a-z]", "").substring(0, 8);
        TestImages.pushImage(registry, repository, "1", TestImages.Format.OCI,
                TestImages.ImageSpec.of(TestImages.Platform.LINUX_AMD64)
                        .withFile("etc/os-release", "ID=\"" + os + "\"\nVERSION_ID=\"" + version + "\"\n")
                        .withFile(path, db));
        ScanReport ours = scan(repository, "1", "linux/amd64", ScanSettings.defaults());
        JsonNode theirs = ReferenceScanner.installed().withCaCert(registry.caCertPath()).scan(
                registry.hostPort() + "/" + repository + ":1",
                Map.of("username", registry.username(), "password", registry.password()));
        JsonNode ourOs = ours.pluginResponse().path("scanResults").get(0);
        JsonNode theirOs = theirs.path("scanResults").get(0);
        assertThat(ourOs.path("identity").path("type").asText()).isEqualTo("rpm");
        assertThat(ScanResults.packageIds(ourOs)).hasSize(count).isEqualTo(ScanResults.packageIds(theirOs));
        assertThat(ScanResults.os(ourOs)).isEqualTo(ScanResults.os(theirOs));
        Map<String, String> ourPurls = ScanResults.purlsOf(ourOs);
        ScanResults.purlsOf(theirOs).forEach((id, purl) -> assertThat(ourPurls.get(id)).as(id).isEqualTo(purl));
        assertThat(ourPurls).hasSize(count);
    }

    @Test
    void multiArchScansThePlatformAsked() throws IOException {
        ScanReport arm = scan("scan/multi", "v1", "linux/arm64", ScanSettings.defaults());
        assertThat(arm.image().platform()).isEqualTo("linux/arm64/v8");
        assertThat(arm.image().imageNames()).hasSize(3);
    }

    @Test
    void imagesOverTheSizeLimitAreRefusedBeforeDownload() {
        ScanSettings tiny = new ScanSettings(10, 1 << 20, 2, "test");
        assertThatThrownBy(() -> scan("scan/ubuntu", "10.04", "linux/amd64", tiny))
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE));
    }

    @Test
    void layersExpandingPastTheCapAreRefused() {
        ScanSettings smallCap = new ScanSettings(1 << 30, 1024, 2, "test");
        assertThatThrownBy(() -> scan("scan/ubuntu", "10.04", "linux/amd64", smallCap))
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE))
                .hasMessageContaining("decompression bomb");
    }
}
