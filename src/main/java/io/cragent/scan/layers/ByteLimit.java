package io.cragent.scan.layers;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts bytes as they are read into a counter (which several streams may share) and fails the read that passes
 * the cap: the scanner's guard against images larger than allowed and against decompression bombs.
 */
public final class ByteLimit extends FilterInputStream {
    private final AtomicLong counter;
    private final long cap;
    private final String message;

    public ByteLimit(InputStream in, AtomicLong counter, long cap, String message) {
        super(in);
        this.counter = counter;
        this.cap = cap;
        this.message = message;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) throws ScanLimitException {
        if (counter.addAndGet(n) > cap) {
            throw new ScanLimitException(message);
        }
    }
}
