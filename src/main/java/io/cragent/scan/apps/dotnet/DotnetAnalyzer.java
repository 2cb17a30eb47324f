package io.cragent.scan.apps.dotnet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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
import io.cragent.scan.output.DepGraph;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * .NET (scanning.md §6): each {@code *.deps.json} outside the shared runtime ({@code /dotnet/shared/},
 * {@code /dotnet/packs/}) gives a {@code nuget} result, targetFile the deps.json path, testedFiles its basename.
 * Unreadable files are skipped with a warning.
 */
public final class DotnetAnalyzer implements AppAnalyzer {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final long CAP = 16L * 1024 * 1024;

    @Override
    public FileMatcher matcher() {
        return FileMatcher.of(DotnetAnalyzer::isDepsJson, CAP);
    }

    static boolean isDepsJson(String path) {
        return path.endsWith(".deps.json") && !path.contains("/dotnet/shared/") && !path.contains("/dotnet/packs/");
    }

    @Override
    public AppFindings analyze(ImageFiles files, AppContext context) {
        List<AppResult> results = new ArrayList<>();
        for (String path : files.paths(DotnetAnalyzer::isDepsJson)) {
            try {
                JsonNode deps = JSON.readTree(files.file(path).orElseThrow());
                DepGraph graph = deps != null && deps.isObject() ? DepsJson.graph(deps) : null;
                if (graph == null) {
                    context.warnings().add("nuget: no project dependencies in " + path);
                    continue;
                }
                var tested = JSON.createArrayNode().add(TarPaths.basename(path));
                results.add(new AppResult("nuget", path,
                        List.of(new Fact("depGraph", graph.toJson()), new Fact("testedFiles", tested))));
            } catch (IOException | RuntimeException e) {
                context.warnings().add("nuget: skipped " + path + ": " + e.getMessage());
            }
        }
        return AppFindings.of(results);
    }
}
