package io.cragent.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.source.ArchiveSource;
import io.cragent.testsupport.OciLayout;
import io.cragent.testsupport.Processes;
import io.cragent.testsupport.ReferenceScanner;
import io.cragent.testsupport.ScanResults;
import io.cragent.testsupport.TarLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An Ubuntu chisel image ({@code manifest.wall}, zstd NDJSON): the same deb packages as the reference finds. */
class ChiselReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void chiselPackagesEqualTheReference(@TempDir Path dir) throws Exception {
        String wall = String.join("\n",
                "{\"jsonwall\":\"1.0\",\"schema\":\"1.0\",\"count\":6}",
                "{\"kind\":\"package\",\"name\":\"base-files\",\"version\":\"13ubuntu10\",\"sha256\":\"" + "a".repeat(64) + "\",\"arch\":\"amd64\"}",
                "{\"kind\":\"package\",\"name\":\"libc6\",\"version\":\"2.39-0ubuntu8\",\"sha256\":\"" + "b".repeat(64) + "\",\"arch\":\"amd64\"}",
                "{\"kind\":\"package\",\"name\":\"libssl3t64\",\"version\":\"3.0.13-0ubuntu3.1\",\"sha256\":\"" + "c".repeat(64) + "\",\"arch\":\"amd64\"}",
                "{\"kind\":\"path\",\"path\":\"/etc/\",\"mode\":\"0755\",\"slices\":[\"base-files_base\"]}",
                "{\"kind\":\"slice\",\"name\":\"libc6_libs\"}") + "\n";
        byte[] compressed = Zstd.compress(wall.getBytes(StandardCharsets.UTF_8));
        OciLayout layout = OciLayout.create(dir.resolve("layout"));
        TarLayer.Built layer = TarLayer.builder().file("var/lib/chisel/manifest.wall", compressed)
                .file("usr/lib/os-release", "ID=ubuntu\nVERSION_ID=\"24.04\"\n").build();
        OciLayout.Descriptor blob = layout.writeBlob(OciLayout.OCI_LAYER_GZIP, layer.gzip());
        ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("config");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layer.diffId());
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciLayout.OCI_MANIFEST);
        manifest.set("config", layout.writeJson(OciLayout.OCI_CONFIG, config).toJson(JSON));
        manifest.putArray("layers").add(blob.toJson(JSON));
        layout.tag("1", layout.writeJson(OciLayout.OCI_MANIFEST, manifest));
        Path archive = dir.resolve("chisel.tar");
        Processes.runChecked(Duration.ofSeconds(60), List.of("skopeo", "--insecure-policy", "copy",
                "oci:" + layout.dir() + ":1", "oci-archive:" + archive));

        JsonNode ours;
        try (ArchiveSource source = new ArchiveSource(archive, Platform.LINUX_AMD64, true)) {
            ours = new ImageScanner(ScanSettings.defaults()).scan(source).pluginResponse().path("scanResults").get(0);
        }
        JsonNode theirs = ReferenceScanner.installed().scan("oci-archive:" + archive, Map.of()).path("scanResults").get(0);
        assertThat(ours.path("identity").path("type").asText()).isEqualTo("deb")
                .isEqualTo(theirs.path("identity").path("type").asText());
        assertThat(ScanResults.packageIds(ours)).containsExactlyInAnyOrder("base-files@13ubuntu10", "libc6@2.39-0ubuntu8",
                "libssl3t64@3.0.13-0ubuntu3.1").isEqualTo(ScanResults.packageIds(theirs));
        assertThat(ScanResults.os(ours)).isEqualTo(ScanResults.os(theirs));
    }
}
