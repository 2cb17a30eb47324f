package io.cragent.scan.layers;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Builds small layer tars in memory for tests. */
final class Layers {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    private Layers() {
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    static Layers tar() {
        return new Layers();
    }

    Layers file(String name, String content) {
        try {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Layers dir(String name) {
        return link(name.endsWith("/") ? name : name + "/", null, TarArchiveEntry.LF_DIR);
    }

    Layers symlink(String name, String target) {
        return link(name, target, TarArchiveEntry.LF_SYMLINK);
    }

    Layers hardlink(String name, String target) {
        return link(name, target, TarArchiveEntry.LF_LINK);
    }

    private Layers link(String name, String target, byte type) {
        try {
            TarArchiveEntry entry = new TarArchiveEntry(name, type);
            if (target != null) {
                entry.setLinkName(target);
            }
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] plain() {
        try {
            tar.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] gzip() {
        return compress(plain(), false);
    }

    byte[] zstd() {
        return compress(plain(), true);
    }

    private static byte[] compress(byte[] data, boolean zstd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = zstd ? new ZstdOutputStream(out) : new GZIPOutputStream(out)) {
            c.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
