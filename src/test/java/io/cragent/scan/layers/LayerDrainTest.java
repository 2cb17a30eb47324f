package io.cragent.scan.layers;

import io.cragent.testsupport.TarLayer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A registry's blob is checked against its digest when its last byte has been read. Bytes after the gzip stream's
 * end are past where a decompressor stops, so the reader drains the blob itself: otherwise a blob with a wrong
 * digest could pass unchecked, and the layer cache would keep what it gave under a digest it does not have.
 */
class LayerDrainTest {

    /** Fails at the end of its bytes, as a digest check does on a blob that does not match. */
    private static final class FailsAtEnd extends FilterInputStream {
        boolean reachedEnd;

        FailsAtEnd(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                reachedEnd = true;
                throw new IOException("blob does not match its digest");
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    private static byte[] gzipLayerWithTrailingBytes() {
        byte[] gzip = TarLayer.builder().directory("etc/").file("etc/os-release", "ID=test\n").build().gzip();
        byte[] trailing = new byte[4096];
        byte[] blob = new byte[gzip.length + trailing.length];
        System.arraycopy(gzip, 0, blob, 0, gzip.length);
        System.arraycopy(trailing, 0, blob, gzip.length, trailing.length);
        return blob;
    }

    @Test
    void bytesAfterTheCompressedStreamAreReadSoTheBlobsCheckRuns() {
        FailsAtEnd blob = new FailsAtEnd(gzipLayerWithTrailingBytes());
        assertThatThrownBy(() -> new LayerReader(path -> true, 1 << 20).read(blob))
                .hasMessage("blob does not match its digest");
        assertThat(blob.reachedEnd).isTrue();
    }

    @Test
    void aBlobThatEndsWithItsCompressedStreamReadsAsBefore() throws IOException {
        byte[] gzip = TarLayer.builder().directory("etc/").file("etc/os-release", "ID=test\n").build().gzip();
        InputStream in = new ByteArrayInputStream(gzip);
        LayerContents contents = new LayerReader(path -> true, 1 << 20).read(in);
        assertThat(contents.files()).containsKey("/etc/os-release");
        assertThat(in.read()).isEqualTo(-1);
    }
}
