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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our scanner and snyk-docker-plugin 9.20.2 on the same public image archives: the OS result must name the same
 * distribution and hold the same packages (ids) with the same purls wherever the reference gives one (it drops
 * the purl of packages it hoists; we never do).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceComparisonTest {
    private final ReferenceScanner reference = ReferenceScanner.installed();

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
            "docker-save-nginx.tar, linux/amd64, deb, 84",
            "docker-save-nginx-os-release-link.tar, linux/amd64, deb, 84",
            "skopeo-nginx.tar, linux/amd64, deb, 84",
            "skopeo-nginx-compressed-layers.tar, linux/amd64, deb, 84",
            "docker-save-dockergoof.tar, linux/amd64, deb, 381",
            "containerd-alpine.tar, linux/amd64, apk, 14",
            "oci-alpine-3.12.0.tar, linux/amd64, apk, 14",
            "containerd-busybox-arm64.tar, linux/arm64, linux, 0",
            "docker-oci-busybox-armv7.tar, linux/arm/v7, linux, 0",
            "docker-save-hello-world.tar, linux/amd64, linux, 0",
    })
    void osResultsMatchTheReference(String archive, String platform, String type, int count) throws Exception {
        Path file = SharedFixtures.archive(archive);
        JsonNode theirs = reference.scan(file.toString(), Map.of("platform", platform));
        JsonNode ours;
        try (ArchiveSource source = new ArchiveSource(file, Platform.parse(platform), false)) {
            ours = new ImageScanner(ScanSettings.defaults()).scan(source).pluginResponse();
        }
        JsonNode theirOs = theirs.path("scanResults").get(0);
        JsonNode ourOs = ours.path("scanResults").get(0);
        assertThat(ourOs.path("identity").path("type").asText()).isEqualTo(type)
                .isEqualTo(theirOs.path("identity").path("type").asText());
        assertThat(ScanResults.packageIds(ourOs)).hasSize(count).isEqualTo(ScanResults.packageIds(theirOs));
        assertThat(ScanResults.os(ourOs)).isEqualTo(ScanResults.os(theirOs));
        Map<String, String> ourPurls = ScanResults.purlsOf(ourOs);
        ScanResults.purlsOf(theirOs).forEach((id, purl) -> assertThat(ourPurls.get(id)).as(id).isEqualTo(purl));
        if (type.equals("deb")) {
            assertThat(ourPurls).as("every deb package has a purl").hasSize(count);
        }
        assertThat(ourOs.path("target").path("image").asText()).isEqualTo(theirOs.path("target").path("image").asText());
    }
}
