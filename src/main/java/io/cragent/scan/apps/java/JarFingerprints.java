package io.cragent.scan.apps.java;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an archive summary at a location into snyk's {@code jarFingerprints} entries: the archive's own (jars only;
 * a war is just a container), then its nested jars', each at {@code <outer location>/<entry name>}.
 *
 * <p>The reference's coordinate rule: a pom.properties whose {@code artifactId} occurs anywhere in the location
 * (the whole path, not only the file name) names the jar itself, the last such one winning, and then
 * {@code digest} is null and the coordinates follow {@code dependencies}; every other one is listed in
 * {@code dependencies} (shaded code). Without coordinates the jar is named by its sha1.
 */
final class JarFingerprints {
    private JarFingerprints() {
    }

    static void append(String location, ArchiveSummary summary, ArrayNode out, List<String> warnings) {
        if (summary.problem() != null) {
            warnings.add("could not read " + location + " as a zip (" + summary.problem()
                    + "); it is reported by its sha1 only");
        }
        if (location.endsWith(".jar")) {
            fingerprint(location, summary, out.addObject());
        }
        for (ArchiveSummary.NestedJar nested : summary.nested()) {
            append(location + "/" + nested.entryName(), nested.summary(), out, warnings);
        }
    }

    private static void fingerprint(String location, ArchiveSummary summary, ObjectNode out) {
        PomCoordinates own = null;
        List<PomCoordinates> shaded = new ArrayList<>();
        for (PomCoordinates pom : summary.poms()) {
            if (location.contains(pom.artifactId())) {
                own = pom;
            } else {
                shaded.add(pom);
            }
        }
        out.put("location", location);
        if (own == null) {
            out.put("digest", summary.sha1());
        } else {
            out.putNull("digest");
        }
        ArrayNode dependencies = out.putArray("dependencies");
        shaded.forEach(pom -> pom.writeTo(dependencies.addObject()));
        if (own != null) {
            own.writeTo(out);
        }
    }
}
