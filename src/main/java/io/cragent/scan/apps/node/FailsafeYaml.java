package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * YAML lockfiles (pnpm-lock.yaml, yarn berry's yarn.lock) as the reference loads them: js-yaml's failsafe schema,
 * where every scalar is a string ({@code lockfileVersion: 5.10} stays {@code "5.10"}). Aliases are bounded, so a
 * "billion laughs" document fails instead of expanding.
 */
final class FailsafeYaml {
    private static final int MAX_DEPTH = 256;

    private FailsafeYaml() {
    }

    /** The document as a JSON tree; it must be a mapping. */
    static ObjectNode mapping(String content, String fileLabel) throws LockfileException {
        LoadSettings settings = LoadSettings.builder()
                .setSchema(new FailsafeSchema())
                .setCodePointLimit(Math.max(content.length() + 1, 3 * 1024 * 1024))
                .setMaxAliasesForCollections(64)
                .setAllowRecursiveKeys(false)
                .setAllowDuplicateKeys(true)
                .build();
        Object document;
        try {
            document = new Load(settings).loadFromString(content);
        } catch (YamlEngineException | StackOverflowError e) {
            throw new LockfileException(fileLabel + " is not valid YAML: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // snakeyaml-engine fails on some malformed documents with an NPE of its own (found by fuzzing)
            throw new LockfileException(fileLabel + " is not valid YAML (" + e.getClass().getSimpleName() + ")");
        }
        if (!(document instanceof Map<?, ?>)) {
            throw new LockfileException(fileLabel + " is empty or not a YAML mapping");
        }
        return (ObjectNode) new Converter(fileLabel).toJson(document, 0);
    }

    /**
     * Turns loaded collections into JSON nodes once each: a collection reached again through an alias shares its
     * node, so nested aliases cannot blow up exponentially.
     */
    private static final class Converter {
        private final Map<Object, JsonNode> done = new IdentityHashMap<>();
        private final String fileLabel;

        Converter(String fileLabel) {
            this.fileLabel = fileLabel;
        }

        JsonNode toJson(Object value, int depth) throws LockfileException {
            if (depth > MAX_DEPTH) {
                throw new LockfileException(fileLabel + " is nested too deeply");
            }
            JsonNode seen = value instanceof Map<?, ?> || value instanceof List<?> ? done.get(value) : null;
            if (seen != null) {
                return seen;
            }
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            if (value instanceof Map<?, ?> map) {
                ObjectNode object = nodes.objectNode();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    object.set(String.valueOf(e.getKey()), toJson(e.getValue(), depth + 1));
                }
                done.put(value, object);
                return object;
            }
            if (value instanceof List<?> list) {
                ArrayNode array = nodes.arrayNode();
                for (Object item : list) {
                    array.add(toJson(item, depth + 1));
                }
                done.put(value, array);
                return array;
            }
            return value == null ? nodes.nullNode() : nodes.textNode(String.valueOf(value));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "stack exhausted";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
