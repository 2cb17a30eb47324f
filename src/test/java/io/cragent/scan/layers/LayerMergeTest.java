package io.cragent.scan.layers;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerMergeTest {
    private static final FileMatcher EVERYTHING = path -> true;

    private static ImageFiles merge(byte[]... layers) throws IOException {
        List<LayerContents> contents = new ArrayList<>();
        for (byte[] layer : layers) {
            contents.add(new LayerReader(EVERYTHING, 1 << 20).read(new ByteArrayInputStream(layer)));
        }
        return ImageFiles.merge(contents);
    }

    private static String text(ImageFiles files, String path) {
        return files.resolveFile(path).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void newerLayersWinAndPlainWhiteoutsDeleteSubtrees() throws IOException {
        ImageFiles files = merge(
                Layers.tar().file("etc/a", "old").file("opt/app/lib/x.jar", "x").file("opt/app/lib/y.jar", "y").gzip(),
                Layers.tar().file("etc/a", "new").file("opt/app/.wh.lib", "").file("opt/.wh.other", "").gzip());
        assertThat(text(files, "/etc/a")).isEqualTo("new");
        assertThat(files.paths(p -> p.startsWith("/opt"))).isEmpty();
    }

    @Test
    void opaqueMarkersHideLowerLayersButNotTheirOwn() throws IOException {
        ImageFiles files = merge(
                Layers.tar().file("usr/local/lib/node_modules/lodash/package.json", "4.17.20")
                        .file("usr/local/lib/node_modules/semver/package.json", "7.5.1").plain(),
                // the re-added entry comes before the marker in the tar: order inside a layer must not matter
                Layers.tar().file("usr/local/lib/node_modules/lodash/package.json", "4.17.21")
                        .file("usr/local/lib/node_modules/.wh..wh..opq", "").plain());
        assertThat(files.paths(p -> p.contains("node_modules"))).containsExactly("/usr/local/lib/node_modules/lodash/package.json");
        assertThat(text(files, "/usr/local/lib/node_modules/lodash/package.json")).isEqualTo("4.17.21");
    }

    @Test
    void whiteoutsNeverHideTheirOwnLayer() throws IOException {
        ImageFiles files = merge(Layers.tar().file("a/b", "lower").plain(),
                Layers.tar().file("a/b", "same-layer").file("a/.wh.b", "").plain());
        assertThat(text(files, "/a/b")).isEqualTo("same-layer");
    }

    @Test
    void wh_InsideANameIsNotAWhiteout() throws IOException {
        ImageFiles files = merge(Layers.tar()
                .file("usr/lib/python3.11/site-packages/wheel-0.38.4.dist-info/METADATA", "Name: wheel")
                .file("app/node_modules/which/package.json", "{}")
                .file("x/.wh..wh.plnk/aufs-meta", "ignored")
                .plain());
        assertThat(files.paths(p -> true)).contains("/usr/lib/python3.11/site-packages/wheel-0.38.4.dist-info/METADATA",
                "/app/node_modules/which/package.json");
    }

    @Test
    void hardlinksGetTheirTargetsContentInTheSameOrALowerLayer() throws IOException {
        ImageFiles files = merge(Layers.tar().file("opt/base.jar", "base").plain(),
                Layers.tar().file("opt/extra/a.jar", "jar").hardlink("opt/extra/a-hardlink.jar", "opt/extra/a.jar")
                        .hardlink("opt/extra/base-link.jar", "./opt/base.jar").plain());
        assertThat(text(files, "/opt/extra/a-hardlink.jar")).isEqualTo("jar");
        assertThat(text(files, "/opt/extra/base-link.jar")).isEqualTo("base");
    }

    @Test
    void symlinksAreFollowedForProbesWithinTheRoot() throws IOException {
        ImageFiles files = merge(Layers.tar().file("usr/lib/os-release", "ID=debian").symlink("etc/os-release", "../usr/lib/os-release")
                .symlink("lib", "usr/lib").file("usr/lib/apk/db/installed", "P:x")
                .symlink("loop/a", "b").symlink("loop/b", "a")
                .symlink("escape", "../../../../usr/lib/os-release").plain());
        assertThat(text(files, "/etc/os-release")).isEqualTo("ID=debian");
        assertThat(text(files, "/lib/apk/db/installed")).isEqualTo("P:x");
        assertThat(text(files, "/loop/a")).isNull();
        assertThat(text(files, "/escape")).isEqualTo("ID=debian");
        assertThat(files.file("/etc/os-release")).isEmpty();
    }

    @Test
    void entriesClimbingOutOfTheRootAreIgnoredWithAWarning() throws IOException {
        ImageFiles files = merge(Layers.tar().file("../../etc/passwd", "evil").file("./ok", "fine").plain());
        assertThat(files.paths(p -> true)).containsExactly("/ok");
        assertThat(files.warnings()).anyMatch(w -> w.contains("climbs out"));
    }

    @Test
    void gzipZstdAndPlainLayersReadTheSame() throws IOException {
        Layers.tar();
        for (int kind = 0; kind < 3; kind++) {
            Layers layer = Layers.tar().file("etc/alpine-release", "3.14.9\n").dir("var/empty");
            byte[] bytes = kind == 0 ? layer.plain() : kind == 1 ? layer.gzip() : layer.zstd();
            assertThat(text(merge(bytes), "/etc/alpine-release")).as("kind " + kind).isEqualTo("3.14.9\n");
        }
    }

    @Test
    void onlyMatchedFilesAreKeptAndOversizedOnesStillHideLowerVersions() throws IOException {
        FileMatcher small = new FileMatcher() {
            public boolean wants(String path) {
                return path.endsWith(".db");
            }

            public long sizeCap(String path) {
                return 4;
            }
        };
        LayerContents lower = new LayerReader(small, 1 << 20).read(new ByteArrayInputStream(
                Layers.tar().file("a.db", "old").file("other", "x").plain()));
        LayerContents upper = new LayerReader(small, 1 << 20).read(new ByteArrayInputStream(
                Layers.tar().file("a.db", "far too large").plain()));
        assertThat(lower.files()).containsOnlyKeys("/a.db");
        ImageFiles files = ImageFiles.merge(List.of(lower, upper));
        assertThat(files.file("/a.db")).isEmpty();
        assertThat(files.warnings()).anyMatch(w -> w.contains("over the 4 byte limit"));
    }

    @Test
    void aDecompressionBombIsRefused() {
        byte[] bomb = Layers.tar().file("zeros", "0".repeat(200_000)).gzip();
        assertThat(bomb.length).isLessThan(2_000);
        assertThatThrownBy(() -> new LayerReader(EVERYTHING, 100_000).read(new ByteArrayInputStream(bomb)))
                .isInstanceOf(ScanLimitException.class).hasMessageContaining("decompression bomb");
    }
}
