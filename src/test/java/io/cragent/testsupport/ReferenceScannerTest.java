package io.cragent.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the reference (snyk-docker-plugin 9.20.2, scanning.md §12) runs on this machine and gives the results the
 * fixtures README lists. Needs {@code scripts/install-reference-scanner.sh}; fails (never skips) without it.
 */
class ReferenceScannerTest {

    private static ReferenceScanner reference;

    @BeforeAll
    static void locate() {
        reference = ReferenceScanner.installed();
    }

    @Test
    void classicDockerSaveNginxGivesDebian84() {
        Path tar = SharedFixtures.archive("docker-save-nginx.tar");
        JsonNode response = timed("docker-save-nginx", () -> reference.scan("docker-archive:" + tar, Map.of()));

        assertThat(ScanResults.summary(response)).isEqualTo("deb:os=84");
        assertThat(ScanResults.os(response)).startsWith("debian:");
        JsonNode os = ScanResults.result(response, "deb:os");
        assertThat(os.path("identity").path("args").path("platform").asText()).isEqualTo("linux/amd64");
        assertThat(os.path("target").path("image").asText()).isEqualTo("docker-image|docker-save-nginx.tar");
        assertThat(ScanResults.rootPkgId(ScanResults.fact(os, "depGraph"))).isEqualTo("docker-image|docker-save-nginx.tar@");

        List<String> facts = ScanResults.factTypes(response).get("deb:os");
        assertThat(facts.get(0)).isEqualTo("depGraph");
        assertThat(facts).containsSubsequence("imageId", "imageLayers", "rootFs", "platform", "pluginVersion");
        assertThat(ScanResults.fact(os, "pluginVersion").asText()).isEqualTo(ReferenceScanner.VERSION);

        // deb purls carry the codename-based distro qualifier (§8.3); hoisted packages may lack one (§9 #10).
        Map<String, String> purls = ScanResults.purls(response).get("deb:os");
        assertThat(purls).isNotEmpty();
        assertThat(purls.values()).allMatch(p -> p.startsWith("pkg:deb/debian/") && p.contains("distro=debian-buster"));
        assertThat(ScanResults.packagesByTarget(response).get("deb:os")).containsAll(purls.keySet())
                .noneMatch(id -> id.startsWith("docker-image|"));
    }

    @Test
    void ociAlpineGivesApk14() {
        Path tar = SharedFixtures.archive("oci-alpine-3.12.0.tar");
        ReferenceScanner.Measured measured = timedMeasured("oci-alpine-3.12.0",
                () -> reference.scanMeasured("oci-archive:" + tar, Map.of()));
        JsonNode response = measured.response();

        assertThat(ScanResults.summary(response)).isEqualTo("apk:os=14");
        assertThat(ScanResults.os(response)).isEqualTo("alpine:3.12.0");
        assertThat(ScanResults.packagesByTarget(response).get("apk:os")).contains("musl/musl@1.1.24-r8")
                .allMatch(id -> id.contains("@"));
        assertThat(ScanResults.purls(response).get("apk:os")).isEmpty(); // apk has no purl (§8.3)

        assertThat(measured.wall()).isPositive();
        assertThat(measured.pluginTimingsMs()).containsKey("totalMs");
        if (Files.isExecutable(Path.of("/usr/bin/time"))) {
            assertThat(measured.peakRssKb()).isGreaterThan(10_000);
        }
    }

    @Test
    void javaJarsGiveTwoMavenResults() {
        Path tar = SharedFixtures.archive("docker-save-java.tar");
        JsonNode response = timed("docker-save-java", () -> reference.scan("docker-archive:" + tar, Map.of()));

        assertThat(ScanResults.summary(response)).isEqualTo("linux:os=0 maven:/app=1 maven:/libs=2");
        assertThat(ScanResults.os(response)).isEqualTo("unknown:0.0");
        Map<String, java.util.Set<String>> packages = ScanResults.packagesByTarget(response);
        assertThat(packages.get("maven:/app")).singleElement().asString()
                .startsWith("/app/activation-1.1.1.jar|sha1:");
        assertThat(packages.get("maven:/libs")).containsExactly(
                "/libs/aopalliance-repackaged-2.5.0.jar|org.glassfish.hk2.external:aopalliance-repackaged@2.5.0",
                "/libs/audience-annotations-0.5.0.jar|org.apache.yetus:audience-annotations@0.5.0");
        assertThat(ScanResults.factTypes(response).get("maven:/app"))
                .containsExactly("jarFingerprints", "imageId", "pluginVersion");
    }

    @Test
    void bareTarPathAndOptionsArePassedThrough() {
        // A bare .tar path is accepted too. Plugin options use the CLI spelling and are compared as the string
        // "true" (String(value).toLowerCase() === "true"): {"exclude-app-vulns": true} drops the app results.
        Path tar = SharedFixtures.archive("docker-save-java.tar");
        JsonNode response = timed("docker-save-java excludeAppVulns",
                () -> reference.scan(tar.toString(), Map.of("exclude-app-vulns", true)));
        assertThat(ScanResults.summary(response)).isEqualTo("linux:os=0");
    }

    @Test
    void scanPathHasNoDockerExecutable(@TempDir Path dir) throws Exception {
        Path withDocker = Files.createDirectories(dir.resolve("with-docker"));
        Files.createFile(withDocker.resolve("docker")).toFile().setExecutable(true);
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Path privateBin = dir.resolve("bin");
        String path = ReferenceScanner.dockerFreePath(withDocker + ":" + plain + "::" + plain, privateBin);
        assertThat(path).isEqualTo(privateBin + ":" + plain);
        // And on this machine: nothing called docker is reachable through the PATH the scans get.
        for (String entry : ReferenceScanner.dockerFreePath(System.getenv("PATH"), privateBin).split(":")) {
            assertThat(Path.of(entry, "docker")).doesNotExist();
        }
    }

    @Test
    void missingInstallationFailsNamingTheScript(@TempDir Path empty) {
        assertThatThrownBy(() -> ReferenceScanner.installedAt(empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ReferenceScanner.INSTALL_SCRIPT)
                .hasMessageContaining(ReferenceScanner.DIR_ENV);
    }

    @Test
    void failedScanReportsNodeStderr(@TempDir Path dir) {
        String missing = dir.resolve("no-such-image.tar").toString();
        assertThatThrownBy(() -> reference.scan("docker-archive:" + missing, Map.of("password", "secret")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-image.tar")
                .hasMessageContaining("scan failed")
                .hasMessageNotContaining("secret");
    }

    private static JsonNode timed(String label, java.util.function.Supplier<JsonNode> scan) {
        long start = System.nanoTime();
        JsonNode response = scan.get();
        System.out.printf("reference %s: %s in %d ms%n", label, ScanResults.summary(response),
                (System.nanoTime() - start) / 1_000_000);
        return response;
    }

    private static ReferenceScanner.Measured timedMeasured(String label,
            java.util.function.Supplier<ReferenceScanner.Measured> scan) {
        ReferenceScanner.Measured measured = scan.get();
        System.out.printf("reference %s: %s wall %d ms, peak RSS %.1f MB, plugin timings %s%n", label,
                ScanResults.summary(measured.response()), measured.wall().toMillis(), measured.peakRssMb(),
                measured.pluginTimingsMs());
        return measured;
    }
}
