package io.cragent.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.source.ArchiveSource;
import io.cragent.testsupport.ReferenceScanner;
import io.cragent.testsupport.ScanResults;
import io.cragent.testsupport.SharedFixtures;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public fixture archive, whole responses compared with snyk-docker-plugin 9.20.2: the same results (identity
 * type and target) with the same packages, save for our documented additions (scanning.md §6.1: one extra pip
 * result per site-packages directory).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixtureArchivesComparisonTest {
    private final ReferenceScanner reference = ReferenceScanner.installed();

    @ParameterizedTest(name = "{0} ({2})")
    @CsvSource({
            "containerd-alpine.tar, oci-archive, linux/amd64",
            "containerd-busybox-arm64.tar, oci-archive, linux/arm64",
            "containerd-busybox-attestation.tar, oci-archive, linux/arm64",
            "docker-oci-busybox-armv7.tar, oci-archive, linux/arm/v7",
            "docker-save-dockergoof.tar, docker-archive, linux/amd64",
            "docker-save-hello-world.tar, docker-archive, linux/amd64",
            "docker-save-java-uberjar.tar, docker-archive, linux/amd64",
            "docker-save-java.tar, docker-archive, linux/amd64",
            "docker-save-nginx-os-release-link.tar, docker-archive, linux/amd64",
            "docker-save-nginx.tar, docker-archive, linux/amd64",
            "npm7-with-package-lock-file.tar, docker-archive, linux/amd64",
            "oci-alpine-3.12.0.tar, oci-archive, linux/amd64",
            "oci-busybox-1.31.1.tar, oci-archive, linux/amd64",
            "oci-nginx.tar, oci-archive, linux/amd64",
            "pnpm-lock-v9.tar, oci-archive, linux/arm64",
            "skopeo-busybox.tar, docker-archive, linux/amd64",
            "skopeo-nginx-compressed-layers.tar, docker-archive, linux/amd64",
            "skopeo-nginx.tar, docker-archive, linux/amd64",
            "skopeo-node-removed.tar, docker-archive, linux/amd64",
    })
    void everyResultEqualsTheReference(String archive, String kind, String platform) throws Exception {
        Path file = SharedFixtures.archive(archive);
        JsonNode theirs = reference.scan(kind + ":" + file, Map.of("platform", platform));
        JsonNode ours;
        try (ArchiveSource source = new ArchiveSource(file, Platform.parse(platform), kind.equals("oci-archive"))) {
            ours = new ImageScanner(ScanSettings.defaults()).scan(source).pluginResponse();
        }
        Map<String, Set<String>> ourTargets = new TreeMap<>(ScanResults.packagesByTarget(ours));
        ourTargets.keySet().removeIf(FixtureArchivesComparisonTest::extraPipResult);
        assertThat(ourTargets).as(archive).isEqualTo(new TreeMap<>(ScanResults.packagesByTarget(theirs)));
    }

    /** Ours only: the pip result of a whole site-/dist-packages directory. */
    private static boolean extraPipResult(String key) {
        return key.startsWith("pip:") && (key.endsWith("-packages") || key.contains("-packages #"));
    }
}
