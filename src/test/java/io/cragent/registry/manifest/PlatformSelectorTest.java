package io.cragent.registry.manifest;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformSelectorTest {

    private static Descriptor entry(String digest, String os, String arch, String variant) {
        return new Descriptor(MediaTypes.OCI_MANIFEST, digest, 10, new Platform(os, arch, variant), Map.of(), List.of());
    }

    private static Manifest.Index index(Descriptor... entries) {
        return new Manifest.Index(MediaTypes.OCI_INDEX, List.of(entries));
    }

    @Test
    void picksTheFirstMatchAndSkipsAttestations() {
        Descriptor attestation = new Descriptor(MediaTypes.OCI_MANIFEST, "sha256:att", 1,
                new Platform("unknown", "unknown", null), Map.of("vnd.docker.reference.type", "attestation-manifest"), List.of());
        Manifest.Index index = index(attestation, entry("sha256:arm", "linux", "arm64", "v8"),
                entry("sha256:amd", "linux", "amd64", null), entry("sha256:amd2", "linux", "amd64", null));
        assertThat(PlatformSelector.select(index, Platform.parse("linux/amd64")).descriptor().digest()).isEqualTo("sha256:amd");
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm64")).descriptor().digest()).isEqualTo("sha256:arm");
        assertThat(PlatformSelector.select(index, Platform.parse("linux/aarch64/v8")).descriptor().digest()).isEqualTo("sha256:arm");
    }

    @Test
    void fallsBackToOlderArmVariantsButNotNewer() {
        Manifest.Index index = index(entry("sha256:v6", "linux", "arm", "v6"), entry("sha256:v7", "linux", "arm", "v7"));
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm/v8")).descriptor().digest()).isEqualTo("sha256:v7");
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm/v7")).descriptor().digest()).isEqualTo("sha256:v7");
        Manifest.Index onlyV7 = index(entry("sha256:v7", "linux", "arm", "v7"), entry("sha256:x", "linux", "amd64", null));
        assertThatThrownBy(() -> PlatformSelector.select(onlyV7, Platform.parse("linux/arm/v6")))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("linux/arm/v7")
                .extracting(e -> ((AgentException) e).code()).isEqualTo(ErrorCode.PLATFORM_NOT_FOUND);
    }

    @Test
    void anyVariantWhenNoneAskedPreferringTheImpliedOne() {
        Manifest.Index index = index(entry("sha256:v3", "linux", "amd64", "v3"), entry("sha256:v1", "linux", "amd64", null));
        assertThat(PlatformSelector.select(index, Platform.parse("linux/amd64")).descriptor().digest()).isEqualTo("sha256:v1");
        Manifest.Index onlyV3 = index(entry("sha256:v3", "linux", "amd64", "v3"), entry("sha256:arm", "linux", "arm64", null));
        assertThat(PlatformSelector.select(onlyV3, Platform.parse("linux/amd64")).descriptor().digest()).isEqualTo("sha256:v3");
        assertThat(PlatformSelector.select(onlyV3, Platform.parse("linux/amd64/v4")).descriptor().digest()).isEqualTo("sha256:v3");
    }

    @Test
    void singleImageIndexIsUsedWithAWarning() {
        Manifest.Index index = index(entry("sha256:only", "linux", "s390x", null));
        PlatformSelector.Selection selection = PlatformSelector.select(index, Platform.LINUX_AMD64);
        assertThat(selection.descriptor().digest()).isEqualTo("sha256:only");
        assertThat(selection.warning()).contains("linux/s390x");
    }
}
