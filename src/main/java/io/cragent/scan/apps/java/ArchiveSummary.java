package io.cragent.scan.apps.java;

import java.util.List;

/**
 * What streaming one jar or war found. It holds no location: a hard link shares the summary under another name,
 * and the reference's coordinate rule depends on the name, so locations are applied only after the merge.
 *
 * @param sha1    hex sha1 of the archive's bytes
 * @param poms    the complete coordinates of every {@code *pom.properties} entry, in entry order
 * @param nested  the {@code *.jar} entries read (to the nesting depth), in entry order
 * @param problem why the archive could not be read as a zip (then {@code poms} and {@code nested} are empty), or
 *                null
 */
record ArchiveSummary(String sha1, List<PomCoordinates> poms, List<NestedJar> nested, String problem) {

    /** A jar stored inside another archive, under {@code entryName}. */
    record NestedJar(String entryName, ArchiveSummary summary) {
    }

    static ArchiveSummary unreadable(String sha1, String problem) {
        return new ArchiveSummary(sha1, List.of(), List.of(), problem);
    }
}
