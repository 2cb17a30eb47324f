package io.cragent.scan.apps.golang;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An ELF file's header, program headers and section headers (names resolved once .shstrtab is known). */
final class ElfFile {
    static final int PT_LOAD = 1;
    static final int PT_NOTE = 4;
    static final int PF_W = 2;
    static final int SHT_PROGBITS = 1;
    static final long SHF_WRITE = 1;
    static final long SHF_ALLOC = 2;
    static final long SHF_EXECINSTR = 4;

    record Program(int type, int flags, long offset, long vaddr, long filesz) {
    }

    record Section(String name, int nameOffset, int type, long flags, long addr, long offset, long size) {
        Section named(String newName) {
            return new Section(newName, nameOffset, type, flags, addr, offset, size);
        }
    }

    final boolean is64;
    final ByteOrder order;
    final long phoff;
    final int phentsize;
    final int phnum;
    final long shoff;
    final int shentsize;
    final int shnum;
    final int shstrndx;
    List<Program> programs = List.of();
    List<Section> sections = List.of();

    private ElfFile(byte[] header) {
        if (header.length < 52 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
            throw new IllegalArgumentException("not an ELF file");
        }
        is64 = header[4] == 2;
        if (!is64 && header[4] != 1 || is64 && header.length < 64) {
            throw new IllegalArgumentException("unknown ELF class");
        }
        order = header[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer b = ByteBuffer.wrap(header).order(order);
        if (is64) {
            phoff = b.getLong(32);
            shoff = b.getLong(40);
            phentsize = Short.toUnsignedInt(b.getShort(54));
            phnum = Short.toUnsignedInt(b.getShort(56));
            shentsize = Short.toUnsignedInt(b.getShort(58));
            shnum = Short.toUnsignedInt(b.getShort(60));
            shstrndx = Short.toUnsignedInt(b.getShort(62));
        } else {
            phoff = Integer.toUnsignedLong(b.getInt(28));
            shoff = Integer.toUnsignedLong(b.getInt(32));
            phentsize = Short.toUnsignedInt(b.getShort(42));
            phnum = Short.toUnsignedInt(b.getShort(44));
            shentsize = Short.toUnsignedInt(b.getShort(46));
            shnum = Short.toUnsignedInt(b.getShort(48));
            shstrndx = Short.toUnsignedInt(b.getShort(50));
        }
    }

    static ElfFile header(byte[] prefix) {
        return new ElfFile(prefix);
    }

    long programTableEnd() {
        return phoff + (long) phnum * phentsize;
    }

    long sectionTableEnd() {
        return shoff + (long) shnum * shentsize;
    }

    /** Reads the program headers; false when they were not captured. */
    boolean readPrograms(SparseBytes bytes) {
        byte[] table = bytes.read(phoff, (long) phnum * phentsize);
        if (table == null || phentsize < (is64 ? 56 : 32)) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(table).order(order);
        List<Program> out = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = i * phentsize;
            if (is64) {
                out.add(new Program(b.getInt(at), b.getInt(at + 4), b.getLong(at + 8), b.getLong(at + 16),
                        b.getLong(at + 32)));
            } else {
                out.add(new Program(b.getInt(at), b.getInt(at + 24), u32(b, at + 4), u32(b, at + 8), u32(b, at + 16)));
            }
        }
        programs = out;
        return true;
    }

    /** Reads the section headers without names; false when they were not captured. */
    boolean readSections(SparseBytes bytes) {
        byte[] table = bytes.read(shoff, (long) shnum * shentsize);
        if (table == null || shentsize < (is64 ? 64 : 40)) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(table).order(order);
        List<Section> out = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int at = i * shentsize;
            if (is64) {
                out.add(new Section(null, b.getInt(at), b.getInt(at + 4), b.getLong(at + 8), b.getLong(at + 16),
                        b.getLong(at + 24), b.getLong(at + 32)));
            } else {
                out.add(new Section(null, b.getInt(at), b.getInt(at + 4), u32(b, at + 8), u32(b, at + 12),
                        u32(b, at + 16), u32(b, at + 20)));
            }
        }
        sections = out;
        return true;
    }

    Section shstrtab() {
        return shstrndx < sections.size() ? sections.get(shstrndx) : null;
    }

    /** Names the sections from .shstrtab; false when it was not captured. */
    boolean nameSections(SparseBytes bytes) {
        Section strtab = shstrtab();
        byte[] names = strtab == null ? null : bytes.readClamped(strtab.offset(), strtab.size());
        if (names == null) {
            return false;
        }
        List<Section> named = new ArrayList<>();
        for (Section s : sections) {
            int start = s.nameOffset();
            int end = start;
            while (start >= 0 && end < names.length && names[end] != 0) {
                end++;
            }
            named.add(s.named(start >= 0 && start <= names.length
                    ? new String(names, start, end - start, StandardCharsets.ISO_8859_1) : ""));
        }
        sections = named;
        return true;
    }

    Section section(String name) {
        for (Section s : sections) {
            if (name.equals(s.name())) {
                return s;
            }
        }
        return null;
    }

    /** Where {@code [addr, addr+size)} of the first program holding {@code addr} lies in the file: {offset, length}. */
    long[] locate(long addr, long size) {
        for (Program p : programs) {
            if (Long.compareUnsigned(p.vaddr(), addr) <= 0 && addr - p.vaddr() < p.filesz()) {
                long n = Math.min(size, p.vaddr() + p.filesz() - addr);
                return new long[]{p.offset() + (addr - p.vaddr()), n};
            }
        }
        return null;
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
