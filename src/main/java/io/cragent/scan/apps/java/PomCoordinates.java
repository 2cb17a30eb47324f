package io.cragent.scan.apps.java;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maven coordinates from one {@code pom.properties}, read the way snyk-docker-plugin reads them: only lines that
 * start exactly with {@code groupId=}, {@code artifactId=} or {@code version=}, the value cut at the next {@code =}
 * and trimmed. The keys keep the file's order because the reference copies them into its JSON in that order.
 */
record PomCoordinates(Map<String, String> fields) {
    private static final Set<String> KEYS = Set.of("groupId", "artifactId", "version");
    /** Artifacts whose pom.properties the reference distrusts: they are identified by their sha1 instead. */
    private static final Set<String> DISTRUSTED = Set.of("com.microsoft.sqlserver:mssql-jdbc");

    /** The coordinates, or null unless all three are present and non-empty (the reference needs all three). */
    static PomCoordinates parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            int equals = line.indexOf('=');
            if (equals < 0 || !KEYS.contains(line.substring(0, equals))) {
                continue;
            }
            int next = line.indexOf('=', equals + 1);
            String value = next < 0 ? line.substring(equals + 1) : line.substring(equals + 1, next);
            fields.put(line.substring(0, equals), value.strip());
        }
        if (KEYS.stream().anyMatch(key -> fields.getOrDefault(key, "").isEmpty())
                || DISTRUSTED.contains(fields.get("groupId") + ":" + fields.get("artifactId"))) {
            return null;
        }
        return new PomCoordinates(Collections.unmodifiableMap(fields));
    }

    String artifactId() {
        return fields.get("artifactId");
    }

    void writeTo(ObjectNode node) {
        fields.forEach(node::put);
    }
}
