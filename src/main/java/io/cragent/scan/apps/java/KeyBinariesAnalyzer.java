package io.cragent.scan.apps.java;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.layers.FileSummarizer;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.TarPaths;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The OS fact {@code keyBinariesHashes}: sha256 of every regular file named exactly {@code node} or {@code java}
 * (runtimes snyk recognises by hash), distinct, in path order. The reference matches any path that merely ends in
 * {@code node} or {@code java} ({@code /usr/share/doc/foo.java}, {@code /opt/mynode}); scanning.md §9 row 12.
 */
public final class KeyBinariesAnalyzer implements AppAnalyzer {
    static final String SUMMARIZER = "key-binary-sha256";
    private static final Set<String> NAMES = Set.of("node", "java");

    private final Sha256Summarizer summarizer =
            new Sha256Summarizer(SUMMARIZER, path -> NAMES.contains(TarPaths.basename(path)));

    @Override
    public List<FileSummarizer> summarizers() {
        return List.of(summarizer);
    }

    @Override
    public AppFindings analyze(ImageFiles files, AppContext context) {
        Set<String> hashes = new LinkedHashSet<>();
        files.summaries(SUMMARIZER).values().forEach(hash -> hashes.add((String) hash));
        if (hashes.isEmpty()) {
            return AppFindings.NONE;
        }
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        hashes.forEach(data::add);
        return new AppFindings(List.of(), List.of(new Fact("keyBinariesHashes", data)));
    }
}
