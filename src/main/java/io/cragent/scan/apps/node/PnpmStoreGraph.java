package io.cragent.scan.apps.node;

import io.cragent.scan.output.DepGraph;

import java.util.Map;

/**
 * A pnpm virtual store ({@code node_modules/.pnpm}) without a lockfile: the reference lists every package.json in
 * the store as a direct dependency of the owner's package.json (no edges).
 */
final class PnpmStoreGraph {
    private PnpmStoreGraph() {
    }

    /** Null when the owner has no named package.json or the store holds no named, versioned package. */
    static DepGraph build(PackageManifest manifest, Map<String, InstalledManifest> manifests) {
        if (manifest == null || manifest.name() == null) {
            return null;
        }
        String version = manifest.version() == null ? "0.0.0" : manifest.version();
        DepGraph graph = new DepGraph("pnpm", null, new DepGraph.Pkg(manifest.name(), version, null));
        boolean any = false;
        for (var entry : manifests.entrySet()) {
            InstalledManifest m = entry.getValue();
            if (NodePaths.inPnpmStore(entry.getKey()) && m.readable() && m.name() != null && m.version() != null) {
                DepGraph.Pkg pkg = new DepGraph.Pkg(m.name(), m.version(), null);
                graph.add(pkg).rootDep(pkg.id());
                any = true;
            }
        }
        return any ? graph : null;
    }
}
