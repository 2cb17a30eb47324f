package io.cragent.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A byte-for-byte reproducible image layer: a ustar archive written by hand (fixed mtime, uid, gid, mode)
 * and gzip-compressed. Same input gives the same digests in every run, so tests can hard-code expectations
 * and registries deduplicate blobs across test repositories.
 */
public final class TarLayer {

    /** {@code diffId} hashes the uncompressed tar (config rootfs), {@code digest} the gzip blob. */
    public record Built(byte[] tar, byte[] gzip, String diffId, String digest) {
        public long size() {
            return gzip.length;
        }
    }

    private record Entry(String name, byte[] content, boolean directory) {
    }

    /** 2024-01-01T00:00:00Z: a fixed timestamp keeps the layer reproducible. */
    private static final long MTIME = 1704067200L;

    private final List<Entry> entries = new ArrayList<>();

    private TarLayer() {
    }

    public static TarLayer builder() {
        return new TarLayer();
    }

    /** Adds a directory entry; {@code name} without a leading slash, e.g. {@code "etc/"}. */
    public TarLayer directory(String name) {
        entries.add(new Entry(name.endsWith("/") ? name : name + "/", new byte[0], true));
        return this;
    }

    /** Adds a regular file; {@code name} without a leading slash, e.g. {@code "etc/os-release"}. */
    public TarLayer file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public TarLayer file(String name, byte[] content) {
        entries.add(new Entry(name.startsWith("/") ? name.substring(1) : name, content.clone(), false));
        return this;
    }

    public Built build() {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            tar.writeBytes(header(entry));
            tar.writeBytes(entry.content());
            int padding = (512 - entry.content().length % 512) % 512;
            tar.writeBytes(new byte[padding]);
        }
        tar.writeBytes(new byte[1024]); // end-of-archive marker: two zero blocks
        byte[] tarBytes = tar.toByteArray();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        // The JDK gzip header has mtime 0 and no file name, so compression is reproducible too.
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tarBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] gzBytes = gz.toByteArray();
        return new Built(tarBytes, gzBytes, Digests.sha256(tarBytes), Digests.sha256(gzBytes));
    }

    private static byte[] header(Entry entry) {
        byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
        if (name.length > 100) {
            throw new IllegalArgumentException("tar names over 100 bytes are not supported: " + entry.name());
        }
        byte[] header = new byte[512];
        System.arraycopy(name, 0, header, 0, name.length);
        octal(header, 100, 8, entry.directory() ? 0755 : 0644);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, entry.content().length);
        octal(header, 136, 12, MTIME);
        header[156] = (byte) (entry.directory() ? '5' : '0');
        ascii(header, 257, "ustar\0");
        ascii(header, 263, "00");
        ascii(header, 265, "root");
        ascii(header, 297, "root");
        // The checksum is computed with its own field filled with spaces.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        String checksum = String.format("%06o", sum);
        ascii(header, 148, checksum);
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = String.format("%0" + (length - 1) + "o", value);
        ascii(header, offset, digits);
        header[offset + length - 1] = 0;
    }

    private static void ascii(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
