package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.ImageScanner;
import io.cragent.scan.ScanSettings;
import io.cragent.scan.source.ArchiveSource;
import io.cragent.testsupport.ScanResults;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Our npm results next to the reference's, per {@code type:targetFile} (scanning.md §12 point 6). */
final class NodeComparison {
    private NodeComparison() {
    }

    /**
     * Scans an archive with the OS analyzers and only the npm analyzer. Layers are read one at a time: reading two
     * layers of one uncompressed archive at once races on the shared file channel (ArchiveEntries.RandomAccess).
     */
    static JsonNode scanOurs(Path archive, String platform) throws IOException {
        ScanSettings defaults = ScanSettings.defaults();
        ScanSettings sequential = new ScanSettings(defaults.maxImageSize(), defaults.uncompressedCap(), 1,
                defaults.pluginVersion());
        try (ArchiveSource source = new ArchiveSource(archive, Platform.parse(platform), false)) {
            return new ImageScanner(sequential, List.of(new NpmAnalyzer())).scan(source).pluginResponse();
        }
    }

    /** The application results (everything after the OS result) by {@code type:targetFile}. */
    static Map<String, JsonNode> apps(JsonNode response) {
        Map<String, JsonNode> apps = new LinkedHashMap<>(ScanResults.byTarget(response));
        apps.remove(apps.keySet().iterator().next());
        return apps;
    }

    /** What a comparison looks at for one result: root id, package ids, testedFiles and the first two fact types. */
    record View(String root, Set<String> packages, JsonNode testedFiles, List<String> ownFacts) {
        static View of(JsonNode result) {
            JsonNode graph = ScanResults.fact(result, "depGraph");
            List<String> facts = new java.util.ArrayList<>();
            result.path("facts").forEach(f -> facts.add(f.path("type").asText()));
            return new View(ScanResults.rootPkgId(graph), new TreeSet<>(ScanResults.packageIds(result)),
                    ScanResults.fact(result, "testedFiles"), facts.subList(0, Math.min(2, facts.size())));
        }
    }

    static Map<String, View> views(JsonNode response) {
        Map<String, View> views = new LinkedHashMap<>();
        apps(response).forEach((key, result) -> views.put(key, View.of(result)));
        return views;
    }
}
