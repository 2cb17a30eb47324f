package io.cragent.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes and counts a blob while it streams; at the end both must match its descriptor, or reading fails. A
 * consumer that stops early (a tar's end marker) must drain the stream for the check to happen.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final String expectedDigest;
    private final long expectedSize;
    private final MessageDigest digest;
    private long count;
    private boolean checked;

    VerifyingInputStream(InputStream in, String expectedDigest, long expectedSize) {
        super(in);
        this.expectedDigest = expectedDigest;
        this.expectedSize = expectedSize;
        this.digest = Digests.newDigest(expectedDigest);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
            if (expectedSize >= 0 && count > expectedSize) {
                throw new IntegrityException("blob " + expectedDigest + " is longer than its " + expectedSize + " bytes");
            }
        } else if (n < 0) {
            verify();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        int read = read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    private void verify() throws IntegrityException {
        if (checked) {
            return;
        }
        checked = true;
        String actual = Digests.format(expectedDigest, digest.digest());
        if (expectedSize >= 0 && count != expectedSize || !actual.equals(expectedDigest)) {
            throw new IntegrityException("blob " + expectedDigest + " does not match its digest or size ("
                    + count + " bytes read)");
        }
    }

    /** The blob's bytes are not the ones its descriptor names. */
    static final class IntegrityException extends IOException {
        IntegrityException(String message) {
            super(message);
        }
    }
}
