package io.cragent.scan.apps.node;

import io.cragent.scan.layers.FileSummarizer;

import java.io.IOException;
import java.io.InputStream;

/** Summarizes installed packages' package.json files while the layer streams ({@link InstalledManifest}). */
final class InstalledManifestSummarizer implements FileSummarizer {
    static final String NAME = "npm-installed-manifest";
    /** A package.json larger than this is not a real manifest; it is recorded as unreadable. */
    static final long CAP = 1024 * 1024;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean wants(String path) {
        return NodePaths.isInstalledManifest(path);
    }

    /**
     * Never null: an unreadable file still gets a summary, so it hides an older copy in a lower layer just as the
     * file itself would.
     */
    @Override
    public Object summarize(String path, InputStream content, long size) throws IOException {
        if (size > CAP) {
            return InstalledManifest.unreadable("over " + CAP + " bytes");
        }
        return InstalledManifest.read(content);
    }
}
