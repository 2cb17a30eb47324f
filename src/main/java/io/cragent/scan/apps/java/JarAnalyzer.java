package io.cragent.scan.apps.java;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.layers.FileSummarizer;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.TarPaths;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Java archives (scanning.md §6, Java): one {@code maven} result per directory holding a visible jar or war, with
 * a {@code jarFingerprints} fact that snyk resolves to Maven packages. Hard links count as jars of their own.
 * Directories and fingerprints come in path order (the reference lists them newest layer first, in tar order).
 */
public final class JarAnalyzer implements AppAnalyzer {
    public static final int DEFAULT_NESTED_JARS_DEPTH = 1;

    private final JarSummarizer summarizer;

    /** Nested jars one level deep, no jars from {@code /usr/lib}: the reference's defaults. */
    public JarAnalyzer() {
        this(DEFAULT_NESTED_JARS_DEPTH, false);
    }

    /** The reference's {@code nested-jars-depth} and {@code include-system-jars} options. */
    public JarAnalyzer(int nestedJarsDepth, boolean includeSystemJars) {
        this(new JarSummarizer(nestedJarsDepth, includeSystemJars));
    }

    JarAnalyzer(JarSummarizer summarizer) {
        this.summarizer = summarizer;
    }

    @Override
    public List<FileSummarizer> summarizers() {
        return List.of(summarizer);
    }

    @Override
    public AppFindings analyze(ImageFiles files, AppContext context) {
        Map<String, ArrayNode> byDirectory = new TreeMap<>();
        files.summaries(JarSummarizer.NAME).forEach((path, summary) -> JarFingerprints.append(path,
                (ArchiveSummary) summary,
                byDirectory.computeIfAbsent(TarPaths.parent(path), dir -> JsonNodeFactory.instance.arrayNode()),
                context.warnings()));
        List<AppResult> results = new ArrayList<>();
        byDirectory.forEach((dir, fingerprints) -> {
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.set("fingerprints", fingerprints);
            data.put("origin", context.imageName());
            data.put("path", dir);
            results.add(new AppResult("maven", dir, List.of(new Fact("jarFingerprints", data))));
        });
        return AppFindings.of(results);
    }
}
