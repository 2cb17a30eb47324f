package io.cragent.scan.apps.php;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.TarPaths;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * PHP (scanning.md §6): {@code composer.json} + {@code composer.lock} in the same directory give a {@code composer}
 * result whose targetFile is the <em>lock</em> (as the reference names it), {@code packages} only, with
 * testedFiles {@code ["composer.json","composer.lock"]}. A malformed pair is skipped with a warning (the reference
 * fails the whole scan on invalid JSON).
 */
public final class ComposerAnalyzer implements AppAnalyzer {
    // Trailing garbage is an error, as for JSON.parse.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final long CAP = 16L * 1024 * 1024;

    @Override
    public FileMatcher matcher() {
        return FileMatcher.of(ComposerAnalyzer::isComposerFile, CAP);
    }

    private static boolean isComposerFile(String path) {
        String name = TarPaths.basename(path);
        return name.equals("composer.json") || name.equals("composer.lock");
    }

    @Override
    public AppFindings analyze(ImageFiles files, AppContext context) {
        List<AppResult> results = new ArrayList<>();
        for (String lockPath : files.paths(p -> TarPaths.basename(p).equals("composer.lock"))) {
            String manifestPath = TarPaths.parent(lockPath) + (TarPaths.parent(lockPath).equals("/") ? "" : "/")
                    + "composer.json";
            var manifest = files.file(manifestPath);
            if (manifest.isEmpty()) {
                continue;
            }
            try {
                JsonNode manifestJson = JSON.readTree(manifest.get());
                JsonNode lockJson = JSON.readTree(files.file(lockPath).orElseThrow());
                if (manifestJson == null || lockJson == null || !manifestJson.isObject() || !lockJson.isObject()) {
                    throw new IllegalArgumentException("not a JSON object");
                }
                var graph = ComposerProject.graph(manifestJson, lockJson, manifestPath);
                var tested = JSON.createArrayNode().add("composer.json").add("composer.lock");
                results.add(new AppResult("composer", lockPath,
                        List.of(new Fact("depGraph", graph.toJson()), new Fact("testedFiles", tested))));
            } catch (IOException | RuntimeException e) {
                context.warnings().add("composer: skipped " + lockPath + ": " + e.getMessage());
            }
        }
        return AppFindings.of(results);
    }
}
