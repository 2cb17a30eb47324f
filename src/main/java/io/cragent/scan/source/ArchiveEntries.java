package io.cragent.scan.source;

import io.cragent.scan.layers.Compression;
import io.cragent.scan.layers.TarPaths;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.apache.commons.compress.utils.BoundedInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The entries of an image archive, by normalised path. A plain tar is read by random access; a compressed one
 * (gzip-wrapped {@code docker save} output) cannot be, so each opened entry costs one streaming pass instead; an
 * OCI layout directory is read from its files.
 */
abstract class ArchiveEntries implements java.io.Closeable {
    /** Entry metadata: type, link target, size. */
    final Map<String, TarArchiveEntry> entries = new HashMap<>();

    static ArchiveEntries open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            return new Directory(file);
        }
        if (isCompressed(file)) {
            return new Streamed(file);
        }
        try {
            return new RandomAccess(file, false);
        } catch (IOException strictFailed) {
            // Archives written on macOS carry header fields the strict parser refuses.
            return new RandomAccess(file, true);
        }
    }

    abstract InputStream open(TarArchiveEntry entry) throws IOException;

    void index(TarArchiveEntry entry) {
        String path = TarPaths.normalize(entry.getName());
        if (path != null && !path.equals("/")) {
            entries.put(path.substring(1), entry);
        }
    }

    private static boolean isCompressed(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b
                    || magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5;
        }
    }

    /**
     * The tar is indexed once; each opened entry then reads through its own channel from the entry's data offset,
     * so that layers can stream in parallel (TarFile's own streams share one file position).
     */
    private static final class RandomAccess extends ArchiveEntries {
        private final Path file;

        RandomAccess(Path file, boolean lenient) throws IOException {
            this.file = file;
            try (TarFile tar = new TarFile(file, lenient)) {
                tar.getEntries().forEach(this::index);
            }
        }

        @Override
        InputStream open(TarArchiveEntry entry) throws IOException {
            if (entry.isSparse()) {
                throw new IOException("sparse tar entries are not supported: " + entry.getName());
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                channel.position(entry.getDataOffset());
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
            return BoundedInputStream.builder().setInputStream(in).setMaxCount(entry.getSize()).setPropagateClose(true).get();
        }

        @Override
        public void close() {
        }
    }

    /** An OCI layout unpacked in a directory ({@code oci:<dir>}). Links in it are not followed. */
    private static final class Directory extends ArchiveEntries {
        private final Path root;

        Directory(Path root) throws IOException {
            this.root = root.toRealPath();
            try (java.util.stream.Stream<Path> files = Files.walk(this.root)) {
                files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                        .forEach(p -> index(new TarArchiveEntry(p.toFile(), this.root.relativize(p).toString())));
            }
        }

        @Override
        InputStream open(TarArchiveEntry entry) throws IOException {
            return Files.newInputStream(root.resolve(entry.getName()));
        }

        @Override
        public void close() {
        }
    }

    private static final class Streamed extends ArchiveEntries {
        private final Path file;

        Streamed(Path file) throws IOException {
            this.file = file;
            try (TarArchiveInputStream tar = stream()) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    index(entry);
                }
            }
        }

        private TarArchiveInputStream stream() throws IOException {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
            return new TarArchiveInputStream(Compression.decompress(raw), true);
        }

        /** Streams the archive up to the entry and hands out its bytes; closing the result ends the pass. */
        @Override
        InputStream open(TarArchiveEntry wanted) throws IOException {
            TarArchiveInputStream tar = stream();
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().equals(wanted.getName())) {
                    return BoundedInputStream.builder().setInputStream(tar).setMaxCount(entry.getSize())
                            .setPropagateClose(true).get();
                }
            }
            tar.close();
            throw new IOException("the archive has no entry " + wanted.getName());
        }

        @Override
        public void close() {
        }
    }
}
