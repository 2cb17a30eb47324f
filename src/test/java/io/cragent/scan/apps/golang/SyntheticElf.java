package io.cragent.scan.apps.golang;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * Minimal little-endian ELF64 files holding only a {@code .go.buildinfo} section (no pclntab, as in a stripped
 * binary): one writable PT_LOAD segment, sections .shstrtab and .go.buildinfo. The build info is inline (Go 1.18+)
 * or behind pointers to string headers placed 4 KiB before the blob (Go 1.13–1.17). Large layouts are served as a
 * stream of mostly zeros, never held.
 */
final class SyntheticElf {
    private static final byte[] START = hex("3077af0c9274080241e1c107e6d618e6");
    private static final byte[] END = hex("f932433186182072008242104116d8f2");
    private static final long VADDR = 0x10000000L;

    /** The file as (offset → bytes) pieces, zeros elsewhere. */
    record Layout(TreeMap<Long, byte[]> pieces, long size) {
        byte[] bytes() {
            byte[] out = new byte[(int) size];
            pieces.forEach((offset, piece) -> System.arraycopy(piece, 0, out, offset.intValue(), piece.length));
            return out;
        }

        InputStream stream() {
            return new InputStream() {
                private long pos;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public long skip(long n) {
                    long skipped = Math.max(0, Math.min(n, size - pos));
                    pos += skipped;
                    return skipped;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (pos >= size) {
                        return -1;
                    }
                    int n = (int) Math.min(len, size - pos);
                    java.util.Arrays.fill(b, off, off + n, (byte) 0);
                    var floor = pieces.floorEntry(pos + n - 1);
                    for (var piece : pieces.headMap(pos + n).entrySet()) {
                        long from = Math.max(pos, piece.getKey());
                        long to = Math.min(pos + n, piece.getKey() + piece.getValue().length);
                        if (from < to) {
                            System.arraycopy(piece.getValue(), (int) (from - piece.getKey()), b,
                                    (int) (off + from - pos), (int) (to - from));
                        }
                    }
                    pos += n;
                    return floor == null && n == 0 ? -1 : n;
                }
            };
        }
    }

    private SyntheticElf() {
    }

    static byte[] build(String goVersion, String modInfo) {
        return layout(goVersion, modInfo, 0x2000, false).bytes();
    }

    /** The blob at {@code blobOffset} (≥ 0x2000); with {@code pointers}, the strings 4 KiB before it. */
    static Layout layout(String goVersion, String modInfo, long blobOffset, boolean pointers) {
        byte[] mod = concat(START, modInfo.getBytes(StandardCharsets.ISO_8859_1), END);
        byte[] version = goVersion.getBytes(StandardCharsets.ISO_8859_1);
        long segment = pointers ? blobOffset - 0x1000 : blobOffset;
        TreeMap<Long, byte[]> pieces = new TreeMap<>();
        byte[] blob;
        if (pointers) {
            // string headers {data, len} ×2 at `segment`, then the string bytes
            long versionData = segment + 32;
            long modData = versionData + version.length;
            ByteBuffer headers = ByteBuffer.allocate(32 + version.length + mod.length).order(ByteOrder.LITTLE_ENDIAN);
            headers.putLong(VADDR + versionData).putLong(version.length).putLong(VADDR + modData).putLong(mod.length);
            headers.put(version).put(mod);
            pieces.put(segment, headers.array());
            ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
            b.put(magicHeader(0)).putLong(VADDR + segment).putLong(VADDR + segment + 16);
            blob = b.array();
        } else {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(magicHeader(2));
            out.writeBytes(new byte[16]);
            varintString(out, version);
            varintString(out, mod);
            out.writeBytes(new byte[16]);
            blob = out.toByteArray();
        }
        pieces.put(blobOffset, blob);
        long size = blobOffset + blob.length;

        byte[] names = "\0.shstrtab\0.go.buildinfo\0".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer h = ByteBuffer.allocate(312 + names.length).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        h.position(16);
        h.putShort((short) 2).putShort((short) 62).putInt(1);
        h.putLong(VADDR + blobOffset).putLong(64).putLong(120);
        h.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1);
        h.putShort((short) 64).putShort((short) 3).putShort((short) 1);
        h.position(64);
        h.putInt(1).putInt(6).putLong(segment).putLong(VADDR + segment).putLong(VADDR + segment)
                .putLong(size - segment).putLong(size - segment).putLong(0x1000);
        h.position(120 + 64);
        section(h, 1, 3, 0, 0, 312, names.length);
        section(h, 11, 1, 3, VADDR + blobOffset, blobOffset, blob.length);
        h.position(312);
        h.put(names);
        pieces.put(0L, h.array());
        return new Layout(pieces, size);
    }

    private static byte[] magicHeader(int flags) {
        byte[] magic = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
        return concat(magic, new byte[]{8, (byte) flags});
    }

    private static void section(ByteBuffer b, int name, int type, long flags, long addr, long offset, long size) {
        b.putInt(name).putInt(type).putLong(flags).putLong(addr).putLong(offset).putLong(size)
                .putInt(0).putInt(0).putLong(1).putLong(0);
    }

    private static void varintString(ByteArrayOutputStream out, byte[] value) {
        long n = value.length;
        while (n >= 0x80) {
            out.write((int) (n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.write((int) n);
        out.writeBytes(value);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String text) {
        byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
