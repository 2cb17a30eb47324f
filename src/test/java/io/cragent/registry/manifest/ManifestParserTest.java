package io.cragent.registry.manifest;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestParserTest {
    private static final String IMAGE = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:c","size":7},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:l1","size":100},
                       {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:l2","size":50}]}""";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAnImageManifestByContentType() {
        Manifest.Image image = (Manifest.Image) ManifestParser.parse(bytes(IMAGE), MediaTypes.OCI_MANIFEST + "; charset=utf-8");
        assertThat(image.layers()).extracting(Descriptor::digest).containsExactly("sha256:l1", "sha256:l2");
        assertThat(image.totalSize()).isEqualTo(157);
    }

    @Test
    void genericContentTypeFallsBackToBodyThenShape() {
        assertThat(ManifestParser.parse(bytes(IMAGE), "application/json")).isInstanceOf(Manifest.Image.class);
        String index = "{\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"sha256:a\",\"size\":1,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"x86_64\"}}]}";
        Manifest.Index parsed = (Manifest.Index) ManifestParser.parse(bytes(index), null);
        assertThat(parsed.manifests().get(0).platform().architecture()).isEqualTo("amd64");
    }

    @Test
    void disagreeingTypesAndArtifactsAreRefused() {
        assertThatThrownBy(() -> ManifestParser.parse(bytes(IMAGE), MediaTypes.DOCKER_MANIFEST))
                .extracting(e -> ((AgentException) e).code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
        String artifact = IMAGE.replace("application/vnd.oci.image.config.v1+json", "application/vnd.cncf.helm.config.v1+json");
        assertThatThrownBy(() -> ManifestParser.parse(bytes(artifact), MediaTypes.OCI_MANIFEST))
                .extracting(e -> ((AgentException) e).code()).isEqualTo(ErrorCode.NOT_AN_IMAGE);
        assertThatThrownBy(() -> ManifestParser.parse(bytes("[1,2]"), null))
                .extracting(e -> ((AgentException) e).code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void schema1LayersAreReversedWithoutThrowaways() {
        String schema1 = """
                {"schemaVersion":1,"name":"x","tag":"1",
                 "fsLayers":[{"blobSum":"sha256:top"},{"blobSum":"sha256:empty"},{"blobSum":"sha256:base"}],
                 "history":[{"v1Compatibility":"{\\"os\\":\\"linux\\",\\"architecture\\":\\"amd64\\"}"},
                            {"v1Compatibility":"{\\"throwaway\\":true}"},{"v1Compatibility":"{}"}]}""";
        Manifest.Image image = (Manifest.Image) ManifestParser.parse(bytes(schema1), MediaTypes.DOCKER_SCHEMA1_SIGNED);
        assertThat(image.schema1()).isTrue();
        assertThat(image.layers()).extracting(Descriptor::digest).containsExactly("sha256:base", "sha256:top");
    }
}
