package io.cragent.scan.apps.golang;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * Minimal little-endian ELF64 files with Go build info and no pclntab (as in a stripped binary): inline in a
 * lone .go.buildinfo (Go 1.18+), or behind pointers laid out as the Go 1.13–1.17 linker did. Large layouts are
 * served as a stream of mostly zeros, never held.
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

    private record Sect(int name, int type, long flags, long offset, long size) {
    }

    private SyntheticElf() {
    }

    static byte[] build(String goVersion, String modInfo) {
        return inline(goVersion, modInfo, 0x2000).bytes();
    }

    /** Go 1.18+: the strings inline in the blob at {@code blobOffset} (≥ 0x2000), in one writable segment. */
    static Layout inline(String goVersion, String modInfo, long blobOffset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(magicHeader(2));
        out.writeBytes(new byte[16]);
        varintString(out, goVersion.getBytes(StandardCharsets.ISO_8859_1));
        varintString(out, modBytes(modInfo));
        out.writeBytes(new byte[16]);
        byte[] blob = out.toByteArray();
        TreeMap<Long, byte[]> pieces = new TreeMap<>();
        pieces.put(blobOffset, blob);
        long size = blobOffset + blob.length;
        byte[] names = "\0.shstrtab\0.go.buildinfo\0".getBytes(StandardCharsets.ISO_8859_1);
        pieces.put(0L, headers(new long[][]{{6, blobOffset, size - blobOffset}}, 1, names,
                new Sect(1, 3, 0, -1, names.length), new Sect(11, 1, 3, blobOffset, blob.length)));
        return new Layout(pieces, size);
    }

    /**
     * Go 1.13–1.17 as its linker lays a binary out: .text, then .rodata ({@code rodataSize} bytes, the version
     * string at its start and the module info at its end), .shstrtab, and in the writable segment the bare 32-byte
     * .go.buildinfo whose pointers lead to the two string headers in .data.
     */
    static Layout pointers(String goVersion, String modInfo, long rodataSize) {
        byte[] version = (goVersion + "\0").getBytes(StandardCharsets.ISO_8859_1);
        byte[] mod = modBytes(modInfo);
        long rodata = 0x2000;
        long modAt = rodata + rodataSize - mod.length;
        byte[] names = "\0.text\0.rodata\0.shstrtab\0.go.buildinfo\0.data\0".getBytes(StandardCharsets.ISO_8859_1);
        long shstrtab = rodata + rodataSize;
        long blob = (shstrtab + names.length + 0xfff) & ~0xfffL;
        long data = blob + 32;
        TreeMap<Long, byte[]> pieces = new TreeMap<>();
        pieces.put(rodata, version);
        pieces.put(modAt, mod);
        pieces.put(shstrtab, names);
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(magicHeader(0)).putLong(VADDR + data).putLong(VADDR + data + 16);
        b.putLong(VADDR + rodata).putLong(goVersion.length()).putLong(VADDR + modAt).putLong(mod.length);
        pieces.put(blob, b.array());
        pieces.put(0L, headers(new long[][]{{5, 0, shstrtab}, {6, blob, 64}}, 3, null,
                new Sect(1, 1, 6, 0x1000, 0x1000), new Sect(7, 1, 2, rodata, rodataSize),
                new Sect(15, 3, 0, shstrtab, names.length), new Sect(25, 1, 3, blob, 32),
                new Sect(39, 1, 3, data, 32)));
        return new Layout(pieces, blob + 64);
    }

    /**
     * ELF header, PT_LOAD program headers ({p_flags, offset, filesz}, mapped at VADDR + offset) and section headers
     * (a null one first); {@code names}, when given, follow them (a section offset of -1 means there).
     */
    private static byte[] headers(long[][] loads, int shstrndx, byte[] names, Sect... sections) {
        int shoff = 64 + 56 * loads.length;
        int namesAt = shoff + 64 * (sections.length + 1);
        ByteBuffer h = ByteBuffer.allocate(namesAt + (names == null ? 0 : names.length)).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        h.position(16);
        h.putShort((short) 2).putShort((short) 62).putInt(1);
        h.putLong(VADDR).putLong(64).putLong(shoff);
        h.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) loads.length);
        h.putShort((short) 64).putShort((short) (sections.length + 1)).putShort((short) shstrndx);
        for (long[] load : loads) {
            h.putInt(1).putInt((int) load[0]).putLong(load[1]).putLong(VADDR + load[1]).putLong(VADDR + load[1])
                    .putLong(load[2]).putLong(load[2]).putLong(0x1000);
        }
        h.position(shoff + 64);
        for (Sect s : sections) {
            long offset = s.offset() < 0 ? namesAt : s.offset();
            long addr = s.type() == 3 ? 0 : VADDR + offset;
            h.putInt(s.name()).putInt(s.type()).putLong(s.flags()).putLong(addr).putLong(offset).putLong(s.size())
                    .putInt(0).putInt(0).putLong(1).putLong(0);
        }
        if (names != null) {
            h.put(names);
        }
        return h.array();
    }

    private static byte[] modBytes(String modInfo) {
        return concat(START, modInfo.getBytes(StandardCharsets.ISO_8859_1), END);
    }

    private static byte[] magicHeader(int flags) {
        byte[] magic = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
        return concat(magic, new byte[]{8, (byte) flags});
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
