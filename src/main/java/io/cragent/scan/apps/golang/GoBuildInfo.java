package io.cragent.scan.apps.golang;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Go version and module info of a binary, found like {@code go version -m} (and the reference) do: the
 * {@code \xff Go buildinf:} blob at the start of {@code .go.buildinfo} (else of the first writable segment), with
 * the two strings inline (Go 1.18+) or behind pointers (Go 1.13–1.17: the pointers lead to string headers in
 * .data, and those to the bytes in .rodata, earlier in the file).
 */
final class GoBuildInfo {
    static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    private static final int WINDOW = 64 * 1024;
    private static final int ALIGN = 16;
    private static final int HEADER = 32;
    /** A Go 1.18+ blob carries its two strings after the header, padded to 16 bytes: never under 48 bytes. */
    private static final int MIN_INLINE = 48;

    /** Not a Go binary with module support (the reference's "not a Go executable" family of errors). */
    static final class NotGo extends Exception {
        NotGo(String message) {
            super(message, null, false, false);
        }
    }

    record Raw(String goVersion, String modInfo) {
    }

    private GoBuildInfo() {
    }

    /** Where the blob search starts: .go.buildinfo's address, else the first writable loadable segment's. */
    static long dataStart(ElfFile elf) {
        ElfFile.Section section = elf.section(".go.buildinfo");
        if (section != null) {
            return section.addr();
        }
        for (ElfFile.Program p : elf.programs) {
            if (p.type() == ElfFile.PT_LOAD && (p.flags() & ElfFile.PF_W) != 0) {
                return p.vaddr();
            }
        }
        return 0;
    }

    /**
     * The section that holds a pre-1.18 blob's strings, judged from the section headers alone (the names come later
     * in the stream, after .rodata): when the section where {@link #dataStart} looks (the first of the writable
     * segment) is a bare 32-byte header, the linker put the strings' bytes in .rodata, the first allocated,
     * read-only section after the code, which the stream passes before the blob. Null when that is not the case.
     */
    static ElfFile.Section pointedStrings(ElfFile elf) {
        ElfFile.Program data = elf.programs.stream()
                .filter(p -> p.type() == ElfFile.PT_LOAD && (p.flags() & ElfFile.PF_W) != 0).findFirst().orElse(null);
        ElfFile.Section blob = data == null ? null : elf.sections.stream()
                .filter(s -> s.type() == ElfFile.SHT_PROGBITS && s.addr() == data.vaddr() && s.size() > 0)
                .findFirst().orElse(null);
        if (blob == null || blob.size() < HEADER || blob.size() >= MIN_INLINE) {
            return null;
        }
        long code = elf.sections.stream().filter(s -> (s.flags() & ElfFile.SHF_EXECINSTR) != 0)
                .mapToLong(ElfFile.Section::offset).min().orElse(-1);
        long kinds = ElfFile.SHF_ALLOC | ElfFile.SHF_WRITE | ElfFile.SHF_EXECINSTR;
        return code < 0 ? null : elf.sections.stream()
                .filter(s -> s.type() == ElfFile.SHT_PROGBITS && (s.flags() & kinds) == ElfFile.SHF_ALLOC)
                .filter(s -> s.offset() > code && s.size() > 0 && s.offset() + s.size() <= blob.offset())
                .min(java.util.Comparator.comparingLong(ElfFile.Section::offset)).orElse(null);
    }

    static Raw read(ElfFile elf, SparseBytes bytes) throws NotGo {
        byte[] data = readData(elf, bytes, dataStart(elf), WINDOW);
        if (data == null) {
            data = new byte[0];
        }
        while (true) {
            int i = indexOf(data, MAGIC);
            if (i < 0 || data.length - i < HEADER) {
                throw new NotGo("not a Go executable");
            }
            if (i % ALIGN == 0) {
                data = Arrays.copyOfRange(data, i, data.length);
                break;
            }
            data = Arrays.copyOfRange(data, (i + ALIGN - 1) & ~(ALIGN - 1), data.length);
        }
        int ptrSize = data[14];
        if ((data[15] & 2) != 0) {
            int[] at = {HEADER};
            String version = decodeString(data, at);
            String mod = decodeString(data, at);
            return new Raw(version, mod);
        }
        ByteOrder order = data[15] != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String version = readString(elf, bytes, ptrSize, order, pointer(data, 16, ptrSize, order));
        if (version.isEmpty()) {
            throw new NotGo("no version found in go binary");
        }
        String mod = readString(elf, bytes, ptrSize, order, pointer(data, 16 + ptrSize, ptrSize, order));
        // Module info is framed by 16-byte sentinels; without them the binary predates module support.
        if (mod.length() >= 33 && mod.charAt(mod.length() - 17) == '\n') {
            return new Raw(version, mod.substring(16, mod.length() - 16));
        }
        throw new NotGo("binary is not built with go module support");
    }

    /** A varint-prefixed string; an empty one when the length overruns the data (as the reference decodes). */
    private static String decodeString(byte[] data, int[] at) throws NotGo {
        long num = 0;
        int size = 0;
        int shift = 0;
        while (true) {
            if (at[0] + size >= data.length || shift > 49) {
                throw new NotGo("could not decode varint");
            }
            int b = data[at[0] + size] & 0xff;
            num |= (long) (b & 0x7f) << shift;
            size++;
            shift += 7;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        int remaining = data.length - at[0];
        if (num >= remaining - size) {
            at[0] = data.length;
            return "";
        }
        int start = at[0] + size;
        at[0] = start + (int) num;
        return new String(data, start, (int) num, StandardCharsets.ISO_8859_1);
    }

    private static String readString(ElfFile elf, SparseBytes bytes, int ptrSize, ByteOrder order, long addr) {
        byte[] header = readData(elf, bytes, addr, 2L * ptrSize);
        if (header == null || header.length < 2 * ptrSize) {
            return "";
        }
        long dataAddr = pointer(header, 0, ptrSize, order);
        long length = pointer(header, ptrSize, ptrSize, order);
        byte[] data = readData(elf, bytes, dataAddr, length);
        if (data == null || data.length < length) {
            return "";
        }
        return new String(data, StandardCharsets.ISO_8859_1);
    }

    /** At most {@code size} bytes of the first program holding {@code addr}; null when none holds it. */
    static byte[] readData(ElfFile elf, SparseBytes bytes, long addr, long size) {
        long[] where = elf.locate(addr, size);
        if (where == null) {
            return null;
        }
        return Missing.require(bytes, where[0], Math.max(0, Math.min(where[1], bytes.fileSize() - where[0])));
    }

    private static long pointer(byte[] data, int at, int ptrSize, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        return ptrSize == 4 ? Integer.toUnsignedLong(b.getInt(at)) : b.getLong(at);
    }

    static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
