package io.cragent.scan.layers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Layers built to exhaust the scanner: compression bombs in every format the reader takes, thousands of small
 * wanted files that fit in a few kilobytes compressed, and tar headers that lie about sizes. Each ends in a clear
 * exception or a bounded result with a warning, quickly, without holding what the layer claims.
 */
class LayerBombsTest {
    private static final FileMatcher EVERYTHING = path -> true;

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aZstdBombIsRefusedLikeAGzipOne() {
        byte[] bomb = Layers.tar().file("zeros", "0".repeat(2_000_000)).zstd();
        assertThat(bomb.length).isLessThan(1_000);
        assertThatThrownBy(() -> new LayerReader(EVERYTHING, 1_000_000).read(new ByteArrayInputStream(bomb)))
                .isInstanceOf(ScanLimitException.class).hasMessageContaining("decompression bomb");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void manySmallWantedFilesStopAtTheLayersKeptBudget() throws IOException {
        Layers tar = Layers.tar();
        String page = "p".repeat(64 * 1024);
        for (int i = 0; i < 100; i++) {
            tar.file("var/lib/dpkg/status.d/pkg" + i, page);
        }
        byte[] layer = tar.gzip();
        assertThat(layer.length).as("compressed").isLessThan(200_000);

        long keptCap = 1024 * 1024;
        LayerContents contents = new LayerReader(EVERYTHING, List.of(), 1L << 30, keptCap)
                .read(new ByteArrayInputStream(layer));

        long kept = contents.files().values().stream().mapToLong(b -> b.length).sum();
        assertThat(kept).isLessThanOrEqualTo(keptCap).isGreaterThan(keptCap / 2);
        assertThat(contents.files()).hasSizeLessThan(100);
        assertThat(contents.warnings()).anyMatch(w -> w.contains("over the " + keptCap + " byte limit kept in memory"));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aTarHeaderClaimingGigabytesIsNeitherTrustedNorHeld() {
        byte[] tar = Layers.tar().file("var/lib/dpkg/status", "Package: a\n").plain();
        byte[] size = String.format("%011o\0", 8L * 1024 * 1024 * 1024 - 1).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, tar, 124, size.length);
        fixChecksum(tar);
        // Over the per-file cap, so skipped; skipping it then runs past the end of the stream.
        assertThatThrownBy(() -> new LayerReader(EVERYTHING, 1L << 40).read(new ByteArrayInputStream(tar)))
                .isInstanceOf(IOException.class);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void garbageIsNotALayer() {
        byte[] notATar = "this is no tar archive, only text that goes on".repeat(100).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new LayerReader(EVERYTHING, 1L << 20).read(new ByteArrayInputStream(notATar)))
                .isInstanceOf(IOException.class);
        byte[] truncatedGzip = java.util.Arrays.copyOf(Layers.tar().file("a", "b".repeat(10_000)).gzip(), 40);
        assertThatThrownBy(() -> new LayerReader(EVERYTHING, 1L << 20).read(new ByteArrayInputStream(truncatedGzip)))
                .isInstanceOf(IOException.class);
    }

    /** The tar header checksum: the byte sum of the 512-byte header with the checksum field as spaces. */

    /** Found by fuzzing: {@code .wh..} would hide the directory above the one it sits in. */
    @Test
    void aWhiteoutNamingDotOrDotDotHidesNothing() throws IOException {
        byte[] layer = Layers.tar().file("usr/lib/.wh..", "").file("usr/lib/.wh..", "").file("etc/.wh.", "").gzip();
        LayerContents contents = new LayerReader(EVERYTHING, 1_000_000).read(new ByteArrayInputStream(layer));
        assertThat(contents.whiteouts()).isEmpty();
        assertThat(contents.warnings()).anyMatch(w -> w.contains("ignored a whiteout that names no entry"));
    }

    private static void fixChecksum(byte[] tar) {
        java.util.Arrays.fill(tar, 148, 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += tar[i] & 0xff;
        }
        byte[] field = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(field, 0, tar, 148, field.length);
    }
}
