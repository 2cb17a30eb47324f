package io.cragent.scan.apps.python;

import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.FileSummarizer;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.TarPaths;
import io.cragent.scan.output.DepGraph;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * pip (scanning.md §6): one {@code pip} result per {@code requirements.txt}, resolved against every installed
 * {@code *.dist-info/METADATA} in the image (the reference pools them all), root {@code <path>@}, no testedFiles;
 * plus, unless switched off, our extra result per site-/dist-packages directory (§6.1).
 *
 * <p>METADATA files are parsed while the layer streams (a long description costs nothing to keep); requirements
 * files are kept whole.
 */
public final class PipAnalyzer implements AppAnalyzer {
    static final String SUMMARIZER = "pip-metadata";
    private static final long TEXT_CAP = 16L * 1024 * 1024;
    /** The reference's METADATA pattern; the basename must be exactly METADATA. */
    private static final Pattern METADATA_PATH =
            Pattern.compile("/lib/python.*?/(?:dist|site)-packages/.*?\\.dist-info/METADATA");
    /** Directories owned by the OS package manager, reported there already. */
    private static final Pattern OS_OWNED = Pattern.compile("^/usr/lib/python3[^/]*/dist-packages$");

    private final boolean extraMetadataResult;

    public PipAnalyzer() {
        this(true);
    }

    /** @param extraMetadataResult false for strict snyk parity (no per-directory result) */
    public PipAnalyzer(boolean extraMetadataResult) {
        this.extraMetadataResult = extraMetadataResult;
    }

    /** A METADATA file as read: the distribution, or why there is none. */
    record Installed(PipDist dist, String problem) {
    }

    @Override
    public FileMatcher matcher() {
        return FileMatcher.of(PipAnalyzer::isRequirements, TEXT_CAP);
    }

    @Override
    public List<FileSummarizer> summarizers() {
        return List.of(FileSummarizer.of(SUMMARIZER, PipAnalyzer::isMetadata, (path, content, size) -> {
            if (size > TEXT_CAP) {
                return new Installed(null, "over " + TEXT_CAP + " bytes");
            }
            PipDist dist = PipDist.parse(new String(content.readNBytes((int) size), StandardCharsets.UTF_8));
            return new Installed(dist, dist == null ? "no Name or a version semver cannot coerce" : null);
        }));
    }

    static boolean isRequirements(String path) {
        return TarPaths.basename(path).equals("requirements.txt");
    }

    static boolean isMetadata(String path) {
        return TarPaths.basename(path).equals("METADATA") && METADATA_PATH.matcher(path).find();
    }

    @Override
    public AppFindings analyze(ImageFiles files, AppContext context) {
        Map<String, PipDist> installed = new LinkedHashMap<>();
        files.summaries(SUMMARIZER).forEach((path, summary) -> {
            Installed one = (Installed) summary;
            if (one.dist() != null) {
                installed.put(path, one.dist());
            } else {
                context.warnings().add("pip: ignored " + path + ": " + one.problem());
            }
        });
        List<AppResult> results = new ArrayList<>();
        PipResolver everything = new PipResolver(installed.values());
        if (!everything.isEmpty()) {
            for (String path : files.paths(PipAnalyzer::isRequirements)) {
                requirementsResult(path, files.file(path).orElseThrow(), everything, context).ifPresent(results::add);
            }
        }
        if (extraMetadataResult) {
            byPackagesDirectory(installed).forEach((dir, dists) -> results.add(result(dir,
                    new PipResolver(dists).directoryGraph(dir))));
        }
        return AppFindings.of(results);
    }

    private static Optional<AppResult> requirementsResult(String path, byte[] content, PipResolver resolver,
                                                                   AppContext context) {
        List<PipRequirement> requirements = new ArrayList<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n", -1)) {
            PipRequirement requirement = PipRequirement.fromRequirementsLine(line);
            if (requirement != null) {
                requirements.add(requirement);
            }
        }
        if (requirements.isEmpty()) {
            return Optional.empty();
        }
        List<String> unresolved = new ArrayList<>();
        DepGraph graph = resolver.graph(path, requirements, unresolved);
        if (!unresolved.isEmpty()) {
            context.warnings().add("pip: " + path + ": not installed, left out: " + String.join(", ", unresolved));
        }
        return Optional.of(result(path, graph));
    }

    /** Distributions directly under {@code <dir>/<x>.dist-info/}, by directory, without the OS-owned ones. */
    static Map<String, List<PipDist>> byPackagesDirectory(Map<String, PipDist> installed) {
        Map<String, List<PipDist>> byDir = new LinkedHashMap<>();
        installed.forEach((path, dist) -> {
            String distInfo = TarPaths.parent(path);
            String dir = TarPaths.parent(distInfo);
            String base = TarPaths.basename(dir);
            if (distInfo.endsWith(".dist-info") && (base.equals("site-packages") || base.equals("dist-packages"))
                    && !OS_OWNED.matcher(dir).matches()) {
                byDir.computeIfAbsent(dir, d -> new ArrayList<>()).add(dist);
            }
        });
        return byDir;
    }

    private static AppResult result(String targetFile, DepGraph graph) {
        return new AppResult("pip", targetFile, List.of(new Fact("depGraph", graph.toJson())));
    }
}
