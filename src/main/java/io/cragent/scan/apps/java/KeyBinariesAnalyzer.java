package io.cragent.scan.apps.java;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cragent.registry.Digests;
import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.layers.FileSummarizer;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.TarPaths;

import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
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

    /** Hashed as it streams: runtimes are large, and nothing of them is held. */
    private final FileSummarizer summarizer = FileSummarizer.of(SUMMARIZER,
            path -> NAMES.contains(TarPaths.basename(path)), (path, content, size) -> {
                MessageDigest sha256 = Digests.newDigest("sha256:");
                new DigestInputStream(content, sha256).transferTo(OutputStream.nullOutputStream());
                return HexFormat.of().formatHex(sha256.digest());
            });

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
