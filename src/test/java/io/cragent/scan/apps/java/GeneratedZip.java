package io.cragent.scan.apps.java;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * Zips of stored entries produced on the fly, so that archives of any size can be fed to a reader without ever
 * existing in memory or on disk. Entry contents are streams made on demand; sizes stay under 4 GiB (no zip64).
 */
final class GeneratedZip {

    /** One stored entry: its content is produced again every time {@code content} is called. */
    record Part(String name, long size, long crc, Supplier<InputStream> content) {
    }

    private GeneratedZip() {
    }

    /** {@code size} zero bytes. */
    static Part zeros(String name, long size) {
        return part(name, () -> new Zeros(size));
    }

    /** A nested zip of these parts. */
    static Part zip(String name, List<Part> parts) {
        return part(name, () -> stream(parts));
    }

    static Part bytes(String name, byte[] content) {
        return part(name, () -> new ByteArrayInputStream(content));
    }

    /** Measures size and CRC by streaming the content once. */
    private static Part part(String name, Supplier<InputStream> content) {
        try (CheckedInputStream in = new CheckedInputStream(content.get(), new CRC32())) {
            long size = in.transferTo(OutputStream.nullOutputStream());
            return new Part(name, size, in.getChecksum().getValue(), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InputStream stream(List<Part> parts) {
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        List<Supplier<InputStream>> pieces = new java.util.ArrayList<>();
        long offset = 0;
        for (Part part : parts) {
            byte[] name = part.name().getBytes(StandardCharsets.UTF_8);
            byte[] local = header(30 + name.length).putInt(0x04034b50).putShort((short) 10).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt((int) part.crc()).putInt((int) part.size())
                    .putInt((int) part.size()).putShort((short) name.length).putShort((short) 0).put(name).array();
            pieces.add(() -> new ByteArrayInputStream(local));
            pieces.add(part.content());
            central.writeBytes(header(46 + name.length).putInt(0x02014b50).putShort((short) 20)
                    .putShort((short) 10).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) part.crc())
                    .putInt((int) part.size()).putInt((int) part.size()).putShort((short) name.length)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt((int) offset).put(name).array());
            offset += local.length + part.size();
        }
        byte[] end = header(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) parts.size()).putShort((short) parts.size()).putInt(central.size())
                .putInt((int) offset).putShort((short) 0).array();
        central.writeBytes(end);
        byte[] tail = central.toByteArray();
        pieces.add(() -> new ByteArrayInputStream(tail));
        Iterator<Supplier<InputStream>> next = pieces.iterator();
        return new SequenceInputStream(new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return next.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return next.next().get();
            }
        });
    }

    private static ByteBuffer header(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Zero bytes that are never stored: each read fills the caller's buffer. */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
