package io.cragent.scan.layers;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
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
    private final List<FileSummarizer> summarizers;
    private final long uncompressedCap;
    private final long keptCap;

    /**
     * @param uncompressedCap most bytes the layer may expand to (a decompression-bomb guard)
     */
    public LayerReader(FileMatcher matcher, long uncompressedCap) {
        this(matcher, List.of(), uncompressedCap);
    }

    public LayerReader(FileMatcher matcher, List<FileSummarizer> summarizers, long uncompressedCap) {
        this(matcher, summarizers, uncompressedCap, FileMatcher.LAYER_KEPT_CAP);
    }

    /** @param keptCap most bytes of wanted files the layer may keep in memory together; later ones are skipped */
    public LayerReader(FileMatcher matcher, List<FileSummarizer> summarizers, long uncompressedCap, long keptCap) {
        this.matcher = matcher;
        this.summarizers = List.copyOf(summarizers);
        this.uncompressedCap = uncompressedCap;
        this.keptCap = keptCap;
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
            // Drain what follows the tar's end marker, and then what follows the compressed stream's own end (a
            // decompressor may stop there), so that the caller's digest check sees every byte of the blob.
            counted.transferTo(OutputStreamSink.INSTANCE);
            layer.transferTo(OutputStreamSink.INSTANCE);
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
                String hidden = name.substring(WHITEOUT.length());
                if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                    // ".wh.." would hide the parent's parent, climbing out of the directory it sits in.
                    contents.warnings.add("ignored a whiteout that names no entry: " + printable(entry.getName()));
                    return;
                }
                String parent = TarPaths.parent(path);
                contents.whiteouts.add((parent.equals("/") ? "" : parent) + "/" + hidden);
            }
            return;
        }
        if (entry.isSymbolicLink()) {
            contents.symlinks.put(path, entry.getLinkName());
            contents.files.remove(path);
            contents.summaries.remove(path);
            return;
        }
        List<FileSummarizer> summarizing = summarizers.stream().filter(s -> s.wants(path)).toList();
        boolean buffering = matcher.wants(path);
        if (!buffering && summarizing.isEmpty()) {
            return;
        }
        if (entry.isLink()) {
            link(path, TarPaths.normalize(entry.getLinkName()), contents);
            return;
        }
        if (!entry.isFile()) {
            return;
        }
        if (!buffering && summarizing.size() == 1) {
            summarize(summarizing.get(0), path, tar, entry.getSize(), contents);
            return;
        }
        long cap = buffering ? matcher.sizeCap(path) : FileMatcher.DATABASE_CAP;
        if (entry.getSize() > cap) {
            contents.shadowed.add(path);
            contents.warnings.add("skipped " + path + ": " + entry.getSize() + " bytes, over the " + cap + " byte limit");
            return;
        }
        byte[] replaced = contents.files.get(path);
        long keptAfter = contents.keptBytes - (replaced == null ? 0 : replaced.length) + entry.getSize();
        if (buffering && keptAfter > keptCap) {
            contents.shadowed.add(path);
            contents.warnings.add("skipped " + path + ": the layer's wanted files are over the " + keptCap
                    + " byte limit kept in memory");
            return;
        }
        byte[] bytes = tar.readNBytes((int) entry.getSize());
        contents.symlinks.remove(path);
        if (buffering) {
            contents.files.put(path, bytes);
            contents.keptBytes = keptAfter;
        }
        for (FileSummarizer summarizer : summarizing) {
            summarize(summarizer, path, new java.io.ByteArrayInputStream(bytes), bytes.length, contents);
        }
    }

    /** A hard link shares its target's kept content and summaries, from this layer or, later, from lower ones. */
    private static void link(String path, String target, LayerContents contents) {
        if (target == null) {
            return;
        }
        byte[] same = contents.files.get(target);
        Map<String, Object> summaries = contents.summaries.get(target);
        if (same != null || summaries != null) {
            if (same != null) {
                contents.files.put(path, same);
            }
            if (summaries != null) {
                contents.summaries.put(path, new java.util.LinkedHashMap<>(summaries));
            }
        } else {
            contents.pendingHardlinks.put(path, target);
        }
    }

    /** A summarizer's failure costs that file's summary, with a warning; a broken limit fails the layer. */
    private static void summarize(FileSummarizer summarizer, String path, InputStream content, long size,
                                  LayerContents contents) throws ScanLimitException {
        try {
            Object summary = summarizer.summarize(path, new NonClosing(content), size);
            if (summary != null) {
                contents.summaries.computeIfAbsent(path, p -> new java.util.LinkedHashMap<>()).put(summarizer.name(), summary);
            }
        } catch (ScanLimitException limit) {
            throw limit;
        } catch (IOException | RuntimeException e) {
            contents.warnings.add(summarizer.name() + " could not read " + path + ": " + e.getMessage());
        }
    }

    /** The tar's entry stream, protected from a summarizer that closes it. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
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
