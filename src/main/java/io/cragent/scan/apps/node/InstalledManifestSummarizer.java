package io.cragent.scan.apps.node;

import io.cragent.scan.layers.FileSummarizer;


/** Summarizes installed packages' package.json files while the layer streams ({@link InstalledManifest}). */
final class InstalledManifestSummarizer {
    static final String NAME = "npm-installed-manifest";
    /** A package.json larger than this is not a real manifest; it is recorded as unreadable. */
    static final long CAP = 1024 * 1024;

    private InstalledManifestSummarizer() {
    }

    /**
     * Never a null summary: an unreadable file still gets one, so it hides an older copy in a lower layer just as
     * the file itself would.
     */
    static FileSummarizer create() {
        return FileSummarizer.of(NAME, NodePaths::isInstalledManifest, (path, content, size) ->
                size > CAP ? InstalledManifest.unreadable("over " + CAP + " bytes") : InstalledManifest.read(content));
    }
}
