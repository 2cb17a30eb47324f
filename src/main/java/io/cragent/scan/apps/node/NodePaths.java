package io.cragent.scan.apps.node;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which files the npm analyzer needs and how snyk-docker-plugin groups them: project files (manifests and lockfiles
 * outside any {@code node_modules}) by their directory, installed manifests by the directory above the first
 * {@code node_modules}.
 */
final class NodePaths {
    static final String MANIFEST = "package.json";
    /** In the reference's order of preference when a directory holds several. */
    static final List<String> LOCKFILES = List.of("package-lock.json", "yarn.lock", "pnpm-lock.yaml");

    private static final String NODE_MODULES = "/node_modules";
    /** A package root: the directory right below {@code node_modules} (or below a scope in it). */
    private static final Pattern PACKAGE_ROOT = Pattern.compile(".*/node_modules/(?:@[^/]+/)?[^/]+/package\\.json");
    private static final String PNPM_STORE = "/node_modules/.pnpm/";

    private NodePaths() {
    }

    static String basename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String dirname(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** {@code dir + "/" + name} without doubling the slash of the root. */
    static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    static boolean isLockfile(String name) {
        return LOCKFILES.contains(name);
    }

    /** A manifest or lockfile outside node_modules: kept whole. */
    static boolean isProjectFile(String path) {
        String name = basename(path);
        return !path.contains(NODE_MODULES) && (name.equals(MANIFEST) || isLockfile(name));
    }

    /**
     * An installed package's manifest that the reference reads: at a package root, or anywhere in a pnpm store
     * (whose graph takes every package.json below {@code .pnpm}).
     */
    static boolean isInstalledManifest(String path) {
        return path.endsWith("/" + MANIFEST) && path.contains(NODE_MODULES)
                && (path.contains(PNPM_STORE) || PACKAGE_ROOT.matcher(path).matches());
    }

    static boolean inPnpmStore(String path) {
        return path.contains(PNPM_STORE);
    }

    /** The directory above the first {@code node_modules}: the tree's owner ("/" for a tree at the root). */
    static String owner(String path) {
        int at = path.indexOf(NODE_MODULES);
        return at <= 0 ? "/" : path.substring(0, at);
    }

    /** Package manager caches hold unpacked packages that are not installed; the reference skips them. */
    static boolean inCache(String path) {
        return path.contains(".npm/") || path.contains(".yarn/cache") || path.contains(".cache/yarn")
                || path.contains("pnpm-store") || path.contains("pnpm/store");
    }
}
