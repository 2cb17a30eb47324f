package io.cragent.scan.apps.golang;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Turns a binary linked by a current Go (1.18+, pointer-free build info) into the layout the Go 1.13–1.17 linker
 * wrote: {@code .go.buildinfo} is a bare 32-byte header (magic, pointer size, endianness flag without the
 * pointer-free bit 2) whose two pointers lead to the string headers {@code runtime.buildVersion} and
 * {@code runtime.modinfo} in .data. The current linker still emits those headers, and their bytes in .rodata
 * ({@code runtime.*.str}), so nothing else moves: the strings lie before the blob, as in an old binary.
 */
final class OldBuildInfo {
    private OldBuildInfo() {
    }

    static byte[] rewrite(byte[] binary, Map<String, Long> symbols) {
        byte[] out = binary.clone();
        SparseBytes bytes = new SparseBytes(out.length);
        bytes.put(0, out);
        ElfFile elf = ElfFile.header(out);
        if (!elf.readPrograms(bytes) || !elf.readSections(bytes) || !elf.nameSections(bytes)) {
            throw new IllegalArgumentException("not a readable ELF file");
        }
        ElfFile.Section info = elf.section(".go.buildinfo");
        ElfFile.Section rodata = elf.section(".rodata");
        int ptrSize = out[(int) info.offset() + 14];
        ByteBuffer b = ByteBuffer.wrap(out).order(elf.order);
        long version = symbols.get("runtime.buildVersion");
        long modinfo = symbols.get("runtime.modinfo");
        for (long header : new long[]{version, modinfo}) {
            long[] at = elf.locate(header, 2L * ptrSize);
            long data = ptrSize == 4 ? Integer.toUnsignedLong(b.getInt((int) at[0])) : b.getLong((int) at[0]);
            if (at[0] <= info.offset() || data < rodata.addr() || data >= rodata.addr() + rodata.size()) {
                throw new IllegalStateException("string header or bytes not where the old linker put them");
            }
        }
        int blob = (int) info.offset();
        Arrays.fill(out, blob + 16, (int) (blob + info.size()), (byte) 0);
        out[blob + 15] &= ~2;
        if (ptrSize == 4) {
            b.putInt(blob + 16, (int) version).putInt(blob + 20, (int) modinfo);
        } else {
            b.putLong(blob + 16, version).putLong(blob + 24, modinfo);
        }
        setSectionSize(out, elf, elf.sections.indexOf(info), 32);
        return out;
    }

    private static void setSectionSize(byte[] out, ElfFile elf, int index, long size) {
        ByteBuffer b = ByteBuffer.wrap(out).order(elf.order);
        int at = (int) (elf.shoff + (long) index * elf.shentsize);
        if (elf.is64) {
            b.putLong(at + 32, size);
        } else {
            b.putInt(at + 20, (int) size);
        }
    }
}
