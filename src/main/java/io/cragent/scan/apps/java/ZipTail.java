package io.cragent.scan.apps.java;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Keeps the last bytes that pass through, to tell at the end whether the stream closes with a zip "end of central
 * directory" record. Central-directory readers (the JVM, and adm-zip in the reference) reject an archive without
 * one, e.g. a truncated jar, even when its leading entries stream fine.
 */
final class ZipTail extends FilterInputStream {
    private static final int END_RECORD = 22;
    private static final int MAX_COMMENT = 0xffff;
    private static final int SIGNATURE = 0x06054b50;

    private final byte[] ring = new byte[END_RECORD + MAX_COMMENT];
    private final byte[] skipped = new byte[8192];
    private long total;

    ZipTail(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            ring[(int) (total++ % ring.length)] = (byte) b;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        for (int i = Math.max(0, n - ring.length); i < n; ) {
            int at = (int) ((total + i) % ring.length);
            int chunk = Math.min(n - i, ring.length - at);
            System.arraycopy(b, off + i, ring, at, chunk);
            i += chunk;
        }
        total += Math.max(n, 0);
        return n;
    }

    /** Skipping would bypass the record; read instead. */
    @Override
    public long skip(long n) throws IOException {
        int read = read(skipped, 0, (int) Math.min(n, skipped.length));
        return Math.max(read, 0);
    }

    /** Whether the bytes read so far end with an end record whose comment length reaches exactly to the end. */
    boolean endsWithEndRecord() {
        int kept = (int) Math.min(total, ring.length);
        byte[] tail = new byte[kept];
        for (int i = 0; i < kept; i++) {
            tail[i] = ring[(int) ((total - kept + i) % ring.length)];
        }
        for (int at = kept - END_RECORD; at >= 0; at--) {
            if (le32(tail, at) == SIGNATURE && at + END_RECORD + le16(tail, at + 20) == kept) {
                return true;
            }
        }
        return false;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }
}
