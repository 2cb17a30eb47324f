package io.cragent.scan.apps;

import java.util.List;

/** The application analyzers a scan runs, in the order their results appear. */
public final class AppAnalyzers {
    private AppAnalyzers() {
    }

    public static List<AppAnalyzer> defaults() {
        return List.of();
    }
}
