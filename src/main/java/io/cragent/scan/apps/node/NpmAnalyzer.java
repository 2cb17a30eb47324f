package io.cragent.scan.apps.node;

import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.FileSummarizer;
import io.cragent.scan.layers.ImageFiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Node.js dependencies, as snyk-docker-plugin 9.20.2 reports them (scanning.md §6): one result per package.json
 * with a lockfile beside it (npm, yarn or pnpm), then one per installed node_modules tree no lockfile describes.
 * Project files are kept whole; installed packages' manifests only as small summaries.
 */
public final class NpmAnalyzer implements AppAnalyzer {
    static final long MANIFEST_CAP = 1024 * 1024;
    static final long LOCKFILE_CAP = 16L * 1024 * 1024;

    private final boolean scanNodeModules;

    public NpmAnalyzer() {
        this(true);
    }

    /** {@code scanNodeModules = false} is the reference's {@code exclude-node-modules}: lockfile projects only. */
    public NpmAnalyzer(boolean scanNodeModules) {
        this.scanNodeModules = scanNodeModules;
    }

    @Override
    public FileMatcher matcher() {
        return new FileMatcher() {
            @Override
            public boolean wants(String path) {
                return NodePaths.isProjectFile(path);
            }

            @Override
            public long sizeCap(String path) {
                return path.endsWith("/" + NodePaths.MANIFEST) ? MANIFEST_CAP : LOCKFILE_CAP;
            }
        };
    }

    @Override
    public List<FileSummarizer> summarizers() {
        return scanNodeModules ? List.of(InstalledManifestSummarizer.create()) : List.of();
    }

    @Override
    public AppFindings analyze(ImageFiles files, AppContext context) {
        Map<String, Set<String>> projectFiles = new TreeMap<>();
        for (String path : files.paths(NodePaths::isProjectFile)) {
            projectFiles.computeIfAbsent(NodePaths.dirname(path), d -> new TreeSet<>()).add(NodePaths.basename(path));
        }
        List<AppResult> results = new ArrayList<>(LockfileProjects.analyze(files, projectFiles, context.warnings()));
        if (scanNodeModules) {
            results.addAll(InstalledTrees.analyze(files, projectFiles, context.warnings()));
        }
        return AppFindings.of(results);
    }
}
