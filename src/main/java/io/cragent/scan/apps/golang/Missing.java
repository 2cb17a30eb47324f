package io.cragent.scan.apps.golang;

/** Thrown by a parse step that needs file bytes not captured yet: the reader fetches them, if still ahead, and retries. */
final class Missing extends RuntimeException {
    final long offset;
    final long length;

    Missing(long offset, long length) {
        super("bytes " + offset + "+" + length + " not captured", null, false, false);
        this.offset = offset;
        this.length = length;
    }

    static byte[] require(SparseBytes bytes, long offset, long length) {
        byte[] out = length == 0 ? new byte[0] : bytes.read(offset, length);
        if (out == null) {
            throw new Missing(offset, length);
        }
        return out;
    }
}
