package io.cragent.scan.os.rpm;

/**
 * Bounds-checked integer reads. Every read of untrusted database bytes goes through here, so a bad offset becomes
 * an {@link RpmDatabaseException} rather than an ArrayIndexOutOfBoundsException. Offsets are longs so that sums of
 * untrusted 32-bit fields cannot overflow before they are checked.
 */
final class Bytes {
    private Bytes() {
    }

    static void require(byte[] b, long offset, long length, String what) throws RpmDatabaseException {
        if (offset < 0 || length < 0 || offset > b.length || length > b.length - offset) {
            throw new RpmDatabaseException(what + ": " + length + " bytes at offset " + offset
                    + " lie outside the " + b.length + " available");
        }
    }

    static int u8(byte[] b, long offset, String what) throws RpmDatabaseException {
        require(b, offset, 1, what);
        return b[(int) offset] & 0xff;
    }

    static int u16le(byte[] b, long offset, String what) throws RpmDatabaseException {
        require(b, offset, 2, what);
        int o = (int) offset;
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    static long u32le(byte[] b, long offset, String what) throws RpmDatabaseException {
        require(b, offset, 4, what);
        int o = (int) offset;
        return ((b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24);
    }

    static long u32be(byte[] b, long offset, String what) throws RpmDatabaseException {
        require(b, offset, 4, what);
        int o = (int) offset;
        return ((b[o] & 0xffL) << 24 | (b[o + 1] & 0xffL) << 16 | (b[o + 2] & 0xffL) << 8 | (b[o + 3] & 0xffL));
    }

    /** True when the four bytes at {@code offset} spell {@code magic} (ASCII). */
    static boolean hasMagic(byte[] b, long offset, String magic) throws RpmDatabaseException {
        require(b, offset, 4, "magic");
        for (int i = 0; i < 4; i++) {
            if (b[(int) offset + i] != (byte) magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
