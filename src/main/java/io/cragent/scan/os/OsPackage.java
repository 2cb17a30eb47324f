package io.cragent.scan.os;

import java.util.List;

/**
 * An installed OS package as the depGraph reports it.
 *
 * @param graphName     snyk's node name: {@code source/name} for deb and apk when the database names a source
 * @param depends       names (or provided names) this package depends on; alternatives all listed
 * @param autoInstalled apt marked it automatically installed: it hangs off the root only when nothing needs it
 */
public record OsPackage(String name, String version, String graphName, List<String> provides, List<String> depends,
                        String purl, boolean autoInstalled) {

    public String id() {
        return graphName + "@" + version;
    }
}
