package io.cragent.scan.apps;

import io.cragent.scan.apps.dotnet.DotnetAnalyzer;
import io.cragent.scan.apps.golang.GoBinaryAnalyzer;
import io.cragent.scan.apps.java.JarAnalyzer;
import io.cragent.scan.apps.java.JavaRuntimeAnalyzer;
import io.cragent.scan.apps.java.KeyBinariesAnalyzer;
import io.cragent.scan.apps.node.NpmAnalyzer;
import io.cragent.scan.apps.php.ComposerAnalyzer;
import io.cragent.scan.apps.python.PipAnalyzer;
import io.cragent.scan.apps.python.PoetryAnalyzer;

import java.util.ArrayList;
import java.util.List;

/**
 * The application analyzers a scan runs. Their order is the order of the results, and of the facts they add to
 * the OS result ({@code keyBinariesHashes} before {@code baseRuntimes}, as the reference has them).
 */
public final class AppAnalyzers {
    private AppAnalyzers() {
    }

    public static List<AppAnalyzer> defaults() {
        return forOptions(AppOptions.DEFAULTS);
    }

    public static List<AppAnalyzer> forOptions(AppOptions options) {
        List<AppAnalyzer> analyzers = new ArrayList<>(List.of(new KeyBinariesAnalyzer(), new JavaRuntimeAnalyzer()));
        if (!options.excludeAppVulns()) {
            analyzers.addAll(List.of(new NpmAnalyzer(!options.excludeNodeModules()),
                    new PipAnalyzer(options.extraPipMetadataResult()), new PoetryAnalyzer(), new ComposerAnalyzer(),
                    new DotnetAnalyzer(), new JarAnalyzer(options.nestedJarsDepth(), options.includeSystemJars()),
                    new GoBinaryAnalyzer()));
        }
        return List.copyOf(analyzers);
    }
}
