package io.cragent.scan.layers;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams one layer once: decompress, walk the tar, keep only what the matcher wants, and note whiteouts, opaque
 * directories and links. Nothing is written to disk; memory holds only matched files, each under its cap.
 */
public final class LayerReader {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final String AUFS_META = ".wh..wh.";
    private static final Set<String> SKIPPED_ROOTS = Set.of("/proc", "/sys", "/dev");

    private final FileMatcher matcher;
    private final long uncompressedCap;

    /**
     * @param uncompressedCap most bytes the layer may expand to (a decompression-bomb guard)
     */
    public LayerReader(FileMatcher matcher, long uncompressedCap) {
        this.matcher = matcher;
        this.uncompressedCap = uncompressedCap;
    }

    public LayerContents read(InputStream layer) throws IOException {
        LayerContents contents = new LayerContents();
        AtomicLong uncompressed = new AtomicLong();
        ByteLimit counted = new ByteLimit(Compression.decompress(layer), uncompressed, uncompressedCap,
                "a layer expands to more than " + uncompressedCap + " bytes; refusing it as a decompression bomb");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(counted, 64 * 1024, 512, "UTF-8", true)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String path = TarPaths.normalize(entry.getName());
                if (path == null) {
                    contents.warnings.add("ignored a tar entry that climbs out of the root: " + printable(entry.getName()));
                    continue;
                }
                if (path.equals("/") || SKIPPED_ROOTS.stream().anyMatch(root -> TarPaths.isUnder(path, root))) {
                    continue;
                }
                record(tar, entry, path, contents);
            }
            // Drain what follows the tar's end marker, so the caller's digest check sees every byte.
            counted.transferTo(OutputStreamSink.INSTANCE);
        }
        contents.bytesRead = uncompressed.get();
        return contents;
    }

    private void record(TarArchiveInputStream tar, TarArchiveEntry entry, String path, LayerContents contents)
            throws IOException {
        String name = TarPaths.basename(path);
        if (name.startsWith(WHITEOUT)) {
            if (name.equals(OPAQUE)) {
                contents.opaqueDirs.add(TarPaths.parent(path));
            } else if (!name.startsWith(AUFS_META)) {
                String parent = TarPaths.parent(path);
                contents.whiteouts.add((parent.equals("/") ? "" : parent) + "/" + name.substring(WHITEOUT.length()));
            }
            return;
        }
        if (entry.isSymbolicLink()) {
            contents.symlinks.put(path, entry.getLinkName());
            contents.files.remove(path);
            return;
        }
        if (!matcher.wants(path)) {
            return;
        }
        if (entry.isLink()) {
            String target = TarPaths.normalize(entry.getLinkName());
            byte[] same = target == null ? null : contents.files.get(target);
            if (same != null) {
                contents.files.put(path, same);
            } else if (target != null) {
                contents.pendingHardlinks.put(path, target);
            }
            return;
        }
        if (!entry.isFile()) {
            return;
        }
        long cap = matcher.sizeCap(path);
        if (entry.getSize() > cap) {
            contents.shadowed.add(path);
            contents.warnings.add("skipped " + path + ": " + entry.getSize() + " bytes, over the " + cap + " byte limit");
            return;
        }
        byte[] bytes = tar.readNBytes((int) entry.getSize());
        contents.files.put(path, bytes);
        contents.symlinks.remove(path);
    }

    private static String printable(String name) {
        String cut = name.length() > 120 ? name.substring(0, 120) + "…" : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
