package io.cragent.scan.os;

import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.output.DepGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The image's OS packages: the analyzers in snyk's precedence, the first that finds packages wins, and its
 * packages become the OS depGraph ({@code linux} with no packages when none does).
 */
public final class OsPackages {
    private final List<OsPackageAnalyzer> analyzers;

    public OsPackages(List<OsPackageAnalyzer> analyzers) {
        this.analyzers = List.copyOf(analyzers);
    }

    /** snyk's precedence: apk, dpkg status, rpm BerkeleyDB and NDB, rpm SQLite, distroless status.d, chisel. */
    public static OsPackages defaults() {
        return new OsPackages(List.of(new ApkAnalyzer(), DpkgAnalyzer.status(), RpmAnalyzer.berkeleyDbAndNdb(),
                RpmAnalyzer.sqlite(), DpkgAnalyzer.statusD(), new ChiselAnalyzer()));
    }

    /** The file matchers of every analyzer and of OS detection. */
    public FileMatcher matcher() {
        List<FileMatcher> matchers = new ArrayList<>();
        matchers.add(OsReleaseDetector.MATCHER);
        analyzers.forEach(a -> matchers.add(a.matcher()));
        return FileMatcher.anyOf(matchers);
    }

    /** The result of the analysis: the package manager, the packages, and the graph. */
    public record Result(String packageManager, List<OsPackage> packages) {
    }

    public Result analyze(ImageFiles files, OsRelease os, List<String> warnings) {
        for (OsPackageAnalyzer analyzer : analyzers) {
            List<OsPackage> packages = analyzer.analyze(files, os, warnings);
            if (!packages.isEmpty()) {
                return new Result(analyzer.packageManager(), packages);
            }
        }
        return new Result("linux", List.of());
    }

    /** Edges from each package's dependencies, resolved by package name first, then by what packages provide. */
    public static DepGraph graph(Result result, OsRelease os, DepGraph.Pkg root) {
        DepGraph graph = new DepGraph(result.packageManager(), os.alias(), root);
        Map<String, OsPackage> byName = new HashMap<>();
        Map<String, OsPackage> byProvides = new HashMap<>();
        for (OsPackage p : result.packages()) {
            byName.putIfAbsent(p.name(), p);
            p.provides().forEach(name -> byProvides.putIfAbsent(name, p));
            graph.add(new DepGraph.Pkg(p.graphName(), p.version(), p.purl()));
        }
        for (OsPackage p : result.packages()) {
            if (!p.autoInstalled()) {
                graph.rootDep(p.id());
            }
            for (String dependency : p.depends()) {
                OsPackage target = byName.getOrDefault(dependency, byProvides.get(dependency));
                if (target != null) {
                    graph.edge(p.id(), target.id());
                }
            }
        }
        return graph;
    }
}
