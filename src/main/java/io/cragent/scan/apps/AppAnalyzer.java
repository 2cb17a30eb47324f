package io.cragent.scan.apps;

import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.FileSummarizer;
import io.cragent.scan.layers.ImageFiles;

import java.util.List;

/**
 * One application ecosystem (npm, jars, pip, …), in Trivy's shape: it names the files it needs, either kept whole
 * (small manifests, through {@link #matcher()}) or summarized while the layer streams (jars, binaries, through
 * {@link #summarizers()}), and after the merge turns what is visible into results.
 */
public interface AppAnalyzer {

    default FileMatcher matcher() {
        return path -> false;
    }

    default List<FileSummarizer> summarizers() {
        return List.of();
    }

    AppFindings analyze(ImageFiles files, AppContext context);
}
