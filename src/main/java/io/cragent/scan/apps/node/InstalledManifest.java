package io.cragent.scan.apps.node;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the analyzer keeps of an installed package's package.json: a node_modules tree may hold tens of thousands,
 * so only the name, the version and the names it depends on (dependencies and optional dependencies).
 *
 * @param name         {@code name}, null when missing or empty
 * @param version      {@code version}, null when missing or empty
 * @param dependencies names from {@code dependencies} then {@code optionalDependencies}
 * @param problem      why the file could not be read; null when it could
 */
record InstalledManifest(String name, String version, List<String> dependencies, String problem) {

    static InstalledManifest unreadable(String problem) {
        return new InstalledManifest(null, null, List.of(), problem);
    }

    boolean readable() {
        return problem == null;
    }

    /** Streams the JSON, skipping every field it does not need; invalid JSON gives an unreadable summary. */
    static InstalledManifest read(InputStream content) throws IOException {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(content)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return unreadable("not a JSON object");
            }
            String name = null;
            String version = null;
            List<String> deps = List.of();
            List<String> optional = List.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "name" -> name = nonEmptyString(parser, value);
                    case "version" -> version = nonEmptyString(parser, value);
                    case "dependencies" -> deps = keys(parser, value);
                    case "optionalDependencies" -> optional = keys(parser, value);
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return unreadable("not a single JSON object");
            }
            Set<String> all = new LinkedHashSet<>(deps);
            all.addAll(optional);
            return new InstalledManifest(intern(name), intern(version),
                    List.of(all.stream().map(String::intern).toArray(String[]::new)), null);
        } catch (JsonProcessingException e) {
            return unreadable("not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String nonEmptyString(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            return text.isEmpty() ? null : text;
        }
        parser.skipChildren();
        return null;
    }

    private static List<String> keys(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            names.add(parser.currentName());
            parser.nextToken();
            parser.skipChildren();
        }
        return List.copyOf(names);
    }

    /** Names and versions repeat across a tree (every copy of {@code ms@2.1.3}); share one string each. */
    private static String intern(String text) {
        return text == null ? null : text.intern();
    }
}
