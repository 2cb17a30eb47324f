package io.cragent.scan.apps.java;

import io.cragent.scan.layers.FileSummarizer;
import io.cragent.scan.layers.TarPaths;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streams every {@code *.jar} and {@code *.war} into an {@link ArchiveSummary} while its layer is read. Jars whose
 * directory contains {@code /usr/lib} (the OS package manager's, scanned as OS packages) or {@code gradle/cache}
 * (build caches, not the application) are skipped, as the reference skips them, unless system jars are included.
 * The archive is never held: memory stays constant whatever its size, so no size cap applies.
 */
public final class JarSummarizer implements FileSummarizer {
    public static final String NAME = "java-archive";

    private final boolean includeSystemJars;
    private final JarStreamReader reader;

    public JarSummarizer(int nestedJarsDepth, boolean includeSystemJars) {
        this(new JarStreamReader(nestedJarsDepth, JarStreamReader.DEFAULT_INFLATION_BUDGET), includeSystemJars);
    }

    JarSummarizer(JarStreamReader reader, boolean includeSystemJars) {
        this.reader = reader;
        this.includeSystemJars = includeSystemJars;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The reference's test: the last four characters, case-sensitive, and substrings of the directory. */
    @Override
    public boolean wants(String path) {
        if (!path.endsWith(".jar") && !path.endsWith(".war")) {
            return false;
        }
        String dir = TarPaths.parent(path);
        boolean system = dir.contains("/usr/lib");
        return system ? includeSystemJars : !dir.contains("gradle/cache");
    }

    @Override
    public ArchiveSummary summarize(String path, InputStream content, long size) throws IOException {
        return reader.read(content);
    }
}
