package io.cragent.scan.apps.java;

import io.cragent.scan.layers.ScanLimitException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads a jar or war once, as it streams past: its sha1, the coordinates of its {@code pom.properties} entries and,
 * to the nesting depth, the same for the {@code *.jar} entries inside it, read straight from the outer entry as it
 * inflates. Only a pom.properties (capped) is ever held, so memory does not grow with the archive.
 *
 * <p>Depth follows the reference: with depth {@code d}, archives at levels {@code 1..d} open their nested jars, and
 * jars at level {@code d+1} are still read for their sha1 and pom.properties.
 */
final class JarStreamReader {
    static final int POM_PROPERTIES_CAP = 64 * 1024;
    /** Inflated bytes one top-level archive may produce, all levels together: a zip bomb costs time, this bounds it. */
    static final long DEFAULT_INFLATION_BUDGET = 4L << 30;
    /** Most bytes of launch script searched for the first entry of an executable jar. */
    private static final int SCRIPT_CAP = 1 << 20;
    private static final byte[] LOCAL_HEADER = {'P', 'K', 3, 4};

    private final int nestedJarsDepth;
    private final long inflationBudget;

    JarStreamReader(int nestedJarsDepth, long inflationBudget) {
        if (nestedJarsDepth < 0) {
            throw new IllegalArgumentException("nested jars depth must be at least 0, got " + nestedJarsDepth);
        }
        this.nestedJarsDepth = nestedJarsDepth;
        this.inflationBudget = inflationBudget;
    }

    /**
     * Reads the archive to its end. A zip that cannot be read gives a summary with its sha1 and a problem (the
     * reference also falls back to the sha1); only a failure of the stream itself is thrown.
     */
    ArchiveSummary read(InputStream archive) throws IOException {
        return read(archive, 1, new Inflation(inflationBudget));
    }

    private ArchiveSummary read(InputStream archive, int level, Inflation inflation) throws IOException {
        MessageDigest sha1 = sha1();
        ZipTail tail = new ZipTail(new DigestInputStream(archive, sha1));
        List<PomCoordinates> poms = new ArrayList<>();
        List<ArchiveSummary.NestedJar> nested = new ArrayList<>();
        String problem = null;
        try {
            readEntries(tail, level, inflation, poms, nested);
        } catch (ScanLimitException limit) {
            throw limit;
        } catch (IOException | RuntimeException e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        // The sha1 covers every byte, including what the zip reader left unread (central directory, garbage).
        tail.transferTo(OutputStream.nullOutputStream());
        if (problem == null && !tail.endsWithEndRecord()) {
            problem = "no end of central directory record: not a zip, or truncated";
        }
        String hex = HexFormat.of().formatHex(sha1.digest());
        return problem != null ? ArchiveSummary.unreadable(hex, problem)
                : new ArchiveSummary(hex, List.copyOf(poms), List.copyOf(nested), null);
    }

    private void readEntries(InputStream in, int level, Inflation inflation, List<PomCoordinates> poms,
                             List<ArchiveSummary.NestedJar> nested) throws IOException {
        boolean opensNestedJars = level <= nestedJarsDepth;
        try (ZipArchiveInputStream zip = new ZipArchiveInputStream(new Unclosable(skipLaunchScript(in)),
                StandardCharsets.UTF_8.name(), true, false)) {
            ZipArchiveEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!zip.canReadEntryData(entry)) {
                    continue;
                }
                String name = entry.getName();
                InputStream data = inflation.guard(zip);
                if (name.endsWith("pom.properties")) {
                    byte[] text = data.readNBytes(POM_PROPERTIES_CAP + 1);
                    PomCoordinates coordinates = text.length > POM_PROPERTIES_CAP ? null
                            : PomCoordinates.parse(new String(text, StandardCharsets.UTF_8));
                    if (coordinates != null) {
                        poms.add(coordinates);
                    }
                } else if (opensNestedJars && name.endsWith(".jar")) {
                    nested.add(new ArchiveSummary.NestedJar(name, read(data, level + 1, inflation)));
                }
                // An entry of unknown length is inflated to find its end; do it here, so that it counts.
                if (entry.getGeneralPurposeBit().usesDataDescriptor()) {
                    inflation.drain(data);
                }
            }
        }
    }

    /**
     * Executable jars (e.g. Spring Boot's) start with a shell script; central-directory readers, the reference's
     * included, skip it, so we seek the first local header. The skipped bytes still pass through the digest.
     */
    private static InputStream skipLaunchScript(InputStream in) throws IOException {
        PushbackInputStream stream = new PushbackInputStream(in, LOCAL_HEADER.length);
        byte[] window = stream.readNBytes(LOCAL_HEADER.length);
        if (window.length == LOCAL_HEADER.length && window[0] != 'P') {
            for (int scanned = 0; scanned < SCRIPT_CAP && !Arrays.equals(window, LOCAL_HEADER); scanned++) {
                int next = stream.read();
                if (next < 0) {
                    break;
                }
                System.arraycopy(window, 1, window, 0, window.length - 1);
                window[window.length - 1] = (byte) next;
            }
        }
        stream.unread(window);
        return stream;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /**
     * The inflated bytes one top-level archive may still produce, at any level: what an entry holds is bounded by
     * the archive's size only through the compression ratio (about 1000:1 for deflate), so a zip bomb is cut here.
     */
    private static final class Inflation {
        private final long limit;
        private final byte[] sink = new byte[8192];
        private long left;

        Inflation(long limit) {
            this.limit = limit;
            this.left = limit;
        }

        InputStream guard(InputStream entry) {
            return new Unclosable(entry) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    spend(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    spend(Math.max(n, 0));
                    return n;
                }
            };
        }

        void drain(InputStream data) throws IOException {
            while (data.read(sink, 0, sink.length) >= 0) {
                // only counting
            }
        }

        private void spend(long bytes) throws ZipException {
            left -= bytes;
            if (left < 0) {
                throw new ZipException("entries inflate to more than " + limit + " bytes");
            }
        }
    }

    /** Lets a zip reader be closed (freeing its inflater) without closing the stream below it. */
    private static class Unclosable extends FilterInputStream {
        Unclosable(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
