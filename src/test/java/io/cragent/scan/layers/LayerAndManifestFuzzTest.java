package io.cragent.scan.layers;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.manifest.ManifestParser;
import io.cragent.registry.manifest.MediaTypes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing (Jazzer) of what a hostile registry serves before any package database is read: layer
 * bytes (gzip, zstd or plain tar, sniffed) through the layer reader with small caps, and manifest documents under
 * every media type. A layer is read or refused with an {@link IOException} ({@link ScanLimitException} for the
 * caps), never another exception; whatever is kept stays under the caps and inside the root. A manifest parses or
 * is refused with an {@link AgentException}. Seeds: {@code LayerAndManifestFuzzTestInputs}; {@code JAZZER_FUZZ=1}
 * fuzzes one method for its {@code maxDuration}.
 */
class LayerAndManifestFuzzTest {
    private static final long UNCOMPRESSED_CAP = 4L * 1024 * 1024;
    private static final long KEPT_CAP = 256 * 1024;
    private static final FileMatcher EVERYTHING = path -> true;
    private static final List<String> CONTENT_TYPES = List.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_LIST, MediaTypes.DOCKER_SCHEMA1,
            MediaTypes.DOCKER_SCHEMA1_SIGNED, "application/json", "text/plain", "");

    @FuzzTest(maxDuration = "10s")
    void layers(byte[] layer) {
        LayerContents contents;
        try {
            contents = new LayerReader(EVERYTHING, List.of(), UNCOMPRESSED_CAP, KEPT_CAP)
                    .read(new ByteArrayInputStream(layer));
        } catch (IOException refused) {
            return;
        }
        long kept = contents.files().values().stream().mapToLong(bytes -> bytes.length).sum();
        assertThat(kept).isLessThanOrEqualTo(KEPT_CAP);
        assertThat(contents.files().keySet()).allSatisfy(path -> {
            assertThat(path).startsWith("/");
            assertThat(path + "/").doesNotContain("/../", "/./", "//");
        });
        assertThat(contents.whiteouts()).allSatisfy(path -> assertThat(path + "/").doesNotContain("/../"));
    }

    @FuzzTest(maxDuration = "10s")
    void manifests(FuzzedDataProvider data) {
        String contentType = data.pickValue(CONTENT_TYPES);
        byte[] document = data.consumeRemainingAsBytes();
        try {
            assertThat(ManifestParser.parse(document, contentType)).isNotNull();
        } catch (AgentException refused) {
            // A registry's bad document is the registry's fault or not an image: never a 5xx of ours.
            assertThat(refused.code()).isIn(ErrorCode.MANIFEST_INVALID, ErrorCode.NOT_AN_IMAGE);
        }
    }
}
