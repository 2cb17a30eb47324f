package io.cragent.scan.apps.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One installed distribution from its {@code *.dist-info/METADATA}, read line by line as the reference does (the
 * last {@code Name:}/{@code Version:} line wins, {@code Requires-Dist:} lines anywhere count).
 *
 * @param name     {@code Name} lower-cased (the package id the reference reports)
 * @param version  the reference's coerced version (see {@link PipVersions#metadataVersion})
 * @param requires Requires-Dist entries
 */
public record PipDist(String name, String version, List<PipRequirement> requires) {

    /** The distribution, or null when METADATA has no name or a version semver cannot coerce (the reference drops it). */
    public static PipDist parse(String metadata) {
        String[] lines = metadata.split("\n", -1);
        List<String> providesExtras = new ArrayList<>();
        for (String raw : lines) {
            String line = PipRequirement.jsTrim(raw);
            if (line.startsWith("Provides-Extra:")) {
                String extra = PipRequirement.jsTrim(line.substring("Provides-Extra:".length()));
                if (!providesExtras.contains(extra)) {
                    providesExtras.add(extra);
                }
            }
        }
        String name = "";
        String version = "";
        List<PipRequirement> requires = new ArrayList<>();
        for (String raw : lines) {
            String line = PipRequirement.jsTrim(raw);
            if (line.startsWith("Name: ")) {
                name = line.substring("Name: ".length());
            } else if (line.startsWith("Version: ")) {
                version = line.substring("Version: ".length());
            } else if (line.startsWith("Requires-Dist: ")) {
                PipRequirement requirement = PipRequirement.fromRequiresDist(line.substring("Requires-Dist: ".length()),
                        providesExtras);
                if (requirement != null) {
                    requires.add(requirement);
                }
            }
        }
        String coerced = PipVersions.metadataVersion(version);
        if (coerced == null || name.isEmpty()) {
            return null;
        }
        return new PipDist(name.toLowerCase(Locale.ROOT), coerced, List.copyOf(requires));
    }

    public String id() {
        return name + "@" + version;
    }

    /** PEP 503: runs of {@code -_.} become one {@code -}, lower case. Lookups use it so that spellings agree. */
    public static String normalize(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }
}
