package io.cragent.scan.apps.golang;

import java.util.Map;
import java.util.TreeMap;

/** The parts of a file captured while it streamed, by file offset; reads outside them come back as null. */
final class SparseBytes {
    private final TreeMap<Long, byte[]> ranges = new TreeMap<>();
    private final long fileSize;

    SparseBytes(long fileSize) {
        this.fileSize = fileSize;
    }

    long fileSize() {
        return fileSize;
    }

    void put(long offset, byte[] bytes) {
        if (bytes.length > 0) {
            ranges.put(offset, bytes);
        }
    }

    boolean has(long offset, long length) {
        return read(offset, length) != null;
    }

    /** {@code length} bytes at {@code offset} from captured ranges (adjacent ones join), or null when not captured. */
    byte[] read(long offset, long length) {
        if (offset < 0 || length < 0 || length > Integer.MAX_VALUE) {
            return null;
        }
        byte[] out = new byte[(int) length];
        long at = offset;
        while (at < offset + length) {
            Map.Entry<Long, byte[]> range = ranges.floorEntry(at);
            if (range == null || range.getKey() + range.getValue().length <= at) {
                return null;
            }
            int from = (int) (at - range.getKey());
            int n = (int) Math.min(range.getValue().length - from, offset + length - at);
            System.arraycopy(range.getValue(), from, out, (int) (at - offset), n);
            at += n;
        }
        return out;
    }

    /**
     * Up to {@code length} bytes at {@code offset}, fewer where the file ends (like slicing a buffer past its end);
     * null when that much was not captured.
     */
    byte[] readClamped(long offset, long length) {
        long available = Math.max(0, Math.min(length, fileSize - offset));
        return read(offset, available);
    }
}
