package io.cragent.scan.layers;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadInputStreamTest {

    @Test
    void deliversEveryByteInOrderAcrossChunkBoundaries() throws IOException {
        byte[] data = new byte[1_000_003];
        new Random(7).nextBytes(data);
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), 4096, 3)) {
            byte[] copy = new byte[data.length];
            int total = 0;
            int n;
            // Odd read sizes so that reads straddle chunks.
            while ((n = in.read(copy, total, Math.min(777, copy.length - total))) > 0) {
                total += n;
            }
            assertThat(total).isEqualTo(data.length);
            assertThat(copy).isEqualTo(data);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aFailureOfTheSourceReachesTheReaderAfterTheBytesBeforeIt() throws IOException {
        InputStream failing = new InputStream() {
            private int left = 10_000;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return 1;
                }
                throw new IOException("digest mismatch");
            }
        };
        try (InputStream in = new ReadAheadInputStream(failing, 1024, 2)) {
            byte[] buffer = new byte[10_000];
            assertThat(in.readNBytes(buffer, 0, buffer.length)).isEqualTo(10_000);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("digest mismatch");
        }
    }

    @Test
    void closingEarlyStopsReadingAndClosesTheSource() throws Exception {
        AtomicBoolean sourceClosed = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                reads.incrementAndGet();
                return 0;
            }

            @Override
            public void close() {
                sourceClosed.set(true);
            }
        };
        InputStream in = new ReadAheadInputStream(endless, 512, 2);
        assertThat(in.read(new byte[100])).isEqualTo(100);
        in.close();
        assertThat(sourceClosed).isTrue();
        long afterClose = reads.get();
        Thread.sleep(200);
        assertThat(reads.get()).as("the source is no longer read").isLessThanOrEqualTo(afterClose + 512);
        assertThatThrownBy(() -> in.read(new byte[1])).isInstanceOf(IOException.class);
    }
}
