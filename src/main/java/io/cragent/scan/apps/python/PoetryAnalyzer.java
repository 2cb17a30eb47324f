package io.cragent.scan.apps.python;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.TarPaths;
import io.cragent.scan.output.DepGraph;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Poetry (scanning.md §6): {@code pyproject.toml} + {@code poetry.lock} in one directory give a {@code poetry}
 * result, targetFile the pyproject.toml, main dependencies only, testedFiles both basenames. A pair that does not
 * parse is skipped with a warning (the reference fails the whole scan).
 */
public final class PoetryAnalyzer implements AppAnalyzer {
    private static final long CAP = 16L * 1024 * 1024;

    @Override
    public FileMatcher matcher() {
        return FileMatcher.of(p -> {
            String name = TarPaths.basename(p);
            return name.equals("pyproject.toml") || name.equals("poetry.lock");
        }, CAP);
    }

    @Override
    public AppFindings analyze(ImageFiles files, AppContext context) {
        List<AppResult> results = new ArrayList<>();
        for (String manifestPath : files.paths(p -> TarPaths.basename(p).equals("pyproject.toml"))) {
            String dir = TarPaths.parent(manifestPath);
            String lockPath = (dir.equals("/") ? "" : dir) + "/poetry.lock";
            var lock = files.file(lockPath);
            if (lock.isEmpty()) {
                continue;
            }
            try {
                DepGraph graph = PoetryProject.graph(MiniToml.parse(text(files.file(manifestPath).orElseThrow())),
                        MiniToml.parse(text(lock.get())));
                var tested = JsonNodeFactory.instance.arrayNode().add("pyproject.toml").add("poetry.lock");
                results.add(new AppResult("poetry", manifestPath,
                        List.of(new Fact("depGraph", graph.toJson()), new Fact("testedFiles", tested))));
            } catch (RuntimeException e) {
                context.warnings().add("poetry: skipped " + manifestPath + ": " + e.getMessage());
            }
        }
        return AppFindings.of(results);
    }

    private static String text(byte[] content) {
        return new String(content, StandardCharsets.UTF_8);
    }
}
