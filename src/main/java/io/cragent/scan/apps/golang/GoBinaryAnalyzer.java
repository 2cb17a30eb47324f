package io.cragent.scan.apps.golang;

import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.layers.FileSummarizer;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.TarPaths;
import io.cragent.scan.output.DepGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Go (scanning.md §6): every extension-less file outside the reference's ignored roots is offered; ELF files with
 * Go build info become a {@code gomodules} result, targetFile the binary's path, root {@code <main module>@},
 * packages from the pclntab (modules when it was stripped) plus {@code stdlib@<go version>}.
 *
 * <p>Binaries are summarized while their layer streams ({@link GoElfReader}); only the summary is kept.
 */
public final class GoBinaryAnalyzer implements AppAnalyzer {
    static final String SUMMARIZER = "go-binary";
    private static final List<String> IGNORED = List.of("/boot", "/dev", "/etc", "/home", "/media", "/mnt", "/proc",
            "/root", "/run", "/sbin", "/sys", "/tmp", "/var");
    /**
     * Key binaries are summarized by another analyzer; a file two summarizers want is buffered whole by the layer
     * reader (and skipped over 64 MiB), so leave those names to it.
     */
    private static final Set<String> LEFT_TO_KEY_BINARIES = Set.of("node", "java");

    @Override
    public List<FileSummarizer> summarizers() {
        return List.of(FileSummarizer.of(SUMMARIZER, GoBinaryAnalyzer::isCandidate, (path, content, size) -> {
            try {
                return GoElfReader.read(content, size);
            } catch (RuntimeException e) {
                // The reference takes any ELF it cannot parse for "not Go"; we say why.
                return GoBinarySummary.problem("unreadable ELF: " + e);
            }
        }));
    }

    /** The reference's test: no extension (node's extname) and a directory not starting with an ignored root. */
    static boolean isCandidate(String path) {
        String name = TarPaths.basename(path);
        int dot = name.lastIndexOf('.');
        boolean hasExtension = dot > 0 && !name.equals("..");
        String dir = TarPaths.parent(path);
        return !hasExtension && IGNORED.stream().noneMatch(dir::startsWith) && !LEFT_TO_KEY_BINARIES.contains(name);
    }

    @Override
    public AppFindings analyze(ImageFiles files, AppContext context) {
        List<AppResult> results = new ArrayList<>();
        files.summaries(SUMMARIZER).forEach((path, value) -> {
            GoBinarySummary summary = (GoBinarySummary) value;
            if (summary.problem() != null) {
                context.warnings().add("gomodules: " + path + ": " + summary.problem());
            }
            if (summary.root() == null) {
                return;
            }
            DepGraph graph = new DepGraph("gomodules", null, new DepGraph.Pkg(summary.root(), "", null));
            for (DepGraph.Pkg pkg : summary.packages()) {
                graph.add(pkg).rootDep(pkg.id());
            }
            results.add(new AppResult("gomodules", path, List.of(new Fact("depGraph", graph.toJson()))));
        });
        return AppFindings.of(results);
    }
}
