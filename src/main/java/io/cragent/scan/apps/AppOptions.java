package io.cragent.scan.apps;

/**
 * snyk-docker-plugin's scan options, with its defaults.
 *
 * @param excludeAppVulns        no application results (the OS result keeps its key binaries and runtimes)
 * @param excludeNodeModules     npm projects from lockfiles only, no {@code node_modules} trees
 * @param nestedJarsDepth        how deep jars inside jars are opened
 * @param includeSystemJars      also jars under {@code /usr/lib} and Gradle caches
 * @param extraPipMetadataResult our extra pip result per site-packages directory (off for strict parity)
 */
public record AppOptions(boolean excludeAppVulns, boolean excludeNodeModules, int nestedJarsDepth,
                         boolean includeSystemJars, boolean extraPipMetadataResult) {
    public static final AppOptions DEFAULTS = new AppOptions(false, false, 1, false, true);
}
