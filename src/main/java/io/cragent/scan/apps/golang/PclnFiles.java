package io.cragent.scan.apps.golang;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The source file names in a {@code .gopclntab} (Go's debug/gosym file table), which tell the packages compiled in.
 * Go 1.16+ tables keep the names in one contiguous file table, read on its own; Go 1.2–1.15 tables scatter them, so
 * the whole section (capped) is needed.
 */
final class PclnFiles {
    private static final long GO12 = 0xfffffffbL;
    private static final long GO116 = 0xfffffffaL;
    private static final long GO118 = 0xfffffff0L;
    private static final long GO120 = 0xfffffff1L;
    /** Most bytes read for one file table or one whole Go 1.2 table. */
    static final long CAP = 64L * 1024 * 1024;

    private PclnFiles() {
    }

    /** File names in table order, duplicates dropped; {@link IllegalStateException} for an unreadable table. */
    static List<String> read(ElfFile.Section pcln, SparseBytes bytes) {
        long base = pcln.offset();
        long size = Math.min(pcln.size(), bytes.fileSize() - base);
        if (size < 16) {
            throw new IllegalStateException("unknown header format");
        }
        byte[] head = Missing.require(bytes, base, Math.min(size, 8 + 8 * 8));
        int ptrSize = head[7];
        if (head[4] != 0 || head[5] != 0 || head[6] != 1 && head[6] != 2 && head[6] != 4 || ptrSize != 4 && ptrSize != 8) {
            throw new IllegalStateException("unknown header format");
        }
        long le = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xffffffffL;
        long be = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN).getInt(0) & 0xffffffffL;
        ByteOrder order = le == GO12 || le == GO116 || le == GO118 || le == GO120 ? ByteOrder.LITTLE_ENDIAN
                : be == GO12 || be == GO116 || be == GO118 || be == GO120 ? ByteOrder.BIG_ENDIAN : null;
        if (order == null) {
            throw new IllegalStateException("unknown / unsupported Go version");
        }
        long magic = order == ByteOrder.LITTLE_ENDIAN ? le : be;
        if (magic == GO12) {
            return go12(Missing.require(bytes, base, Math.min(size, CAP)), ptrSize, order);
        }
        // Header words after the first 8 bytes: nfunc, nfiles, [textStart,] funcname, cu, filetab, pctab, …
        int filetabWord = magic == GO116 ? 4 : 5;
        long nfiles = word(head, 1, ptrSize, order);
        long filetab = word(head, filetabWord, ptrSize, order);
        long end = word(head, filetabWord + 1, ptrSize, order);
        if (filetab < 0 || filetab >= size) {
            throw new IllegalStateException("file table outside the section");
        }
        if (end <= filetab || end > size) {
            end = size;
        }
        byte[] table = Missing.require(bytes, base + filetab, Math.min(end - filetab, CAP));
        Set<String> files = new LinkedHashSet<>();
        int pos = 0;
        for (long i = 0; i < nfiles && pos <= table.length; i++) {
            String name = cString(table, pos);
            files.add(name);
            pos += name.length() + 1;
        }
        return List.copyOf(files);
    }

    private static List<String> go12(byte[] b, int ptrSize, ByteOrder order) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(order);
        long nfunctab = ptrSize == 4 ? buf.getInt(8) & 0xffffffffL : buf.getLong(8);
        long functabSize = (nfunctab * 2 + 1) * ptrSize;
        long fileoff = buf.getInt((int) (8 + ptrSize + functabSize)) & 0xffffffffL;
        long nfiletab = buf.getInt((int) fileoff) & 0xffffffffL;
        Set<String> files = new LinkedHashSet<>();
        for (long i = 1; i < nfiletab; i++) {
            long at = buf.getInt((int) (fileoff + 4 * i)) & 0xffffffffL;
            files.add(cString(b, (int) at));
        }
        return List.copyOf(files);
    }

    private static long word(byte[] head, int word, int ptrSize, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(head).order(order);
        int at = 8 + word * ptrSize;
        return ptrSize == 4 ? b.getInt(at) & 0xffffffffL : b.getLong(at);
    }

    /** A NUL-terminated name decoded as node's "ascii" does (high bit dropped); empty when unterminated. */
    private static String cString(byte[] b, int from) {
        if (from < 0 || from > b.length) {
            throw new IllegalStateException("string offset outside the table");
        }
        int end = from;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        if (end == b.length) {
            return "";
        }
        char[] chars = new char[end - from];
        for (int i = from; i < end; i++) {
            chars[i - from] = (char) (b[i] & 0x7f);
        }
        return new String(chars);
    }
}
