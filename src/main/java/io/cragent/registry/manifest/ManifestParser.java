package io.cragent.registry.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a manifest by its {@code Content-Type}, falling back to the body's {@code mediaType} and then to its shape,
 * as registries that serve everything as {@code application/json} require.
 */
public final class ManifestParser {
    /** The OCI image-spec digest grammar: {@code algorithm:encoded}, URL-safe characters only. */
    private static final java.util.regex.Pattern DIGEST =
            java.util.regex.Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestParser() {
    }

    public static Manifest parse(byte[] raw, String contentType) {
        JsonNode node = readObject(raw, "manifest");
        String declared = MediaTypes.essence(contentType);
        String inBody = MediaTypes.essence(node.path("mediaType").asText(null));
        if (!MediaTypes.isGeneric(declared) && !inBody.isEmpty() && !declared.equals(inBody)
                && !(MediaTypes.isSchema1(declared) && MediaTypes.isSchema1(inBody))) {
            throw invalid("the manifest's Content-Type and mediaType disagree");
        }
        String type = !MediaTypes.isGeneric(declared) ? declared : !inBody.isEmpty() ? inBody : sniff(node);
        if (MediaTypes.isIndex(type)) {
            return new Manifest.Index(type, descriptors(node.path("manifests")));
        }
        if (MediaTypes.isImageManifest(type)) {
            return image(type, node);
        }
        if (MediaTypes.isSchema1(type)) {
            return schema1(type, node);
        }
        throw new AgentException(ErrorCode.NOT_AN_IMAGE, "unsupported manifest type " + type);
    }

    private static Manifest.Image image(String type, JsonNode node) {
        Descriptor config = descriptor(node.path("config"));
        if (node.hasNonNull("artifactType") || !MediaTypes.isImageConfig(config.mediaType())) {
            throw new AgentException(ErrorCode.NOT_AN_IMAGE,
                    "the manifest describes an artifact (" + config.mediaType() + "), not a container image");
        }
        return new Manifest.Image(type, config, descriptors(node.path("layers")), false, null);
    }

    /** Legacy schema1: layers listed top first, empty ("throwaway") layers marked in the history. */
    private static Manifest.Image schema1(String type, JsonNode node) {
        JsonNode fsLayers = node.path("fsLayers");
        JsonNode history = node.path("history");
        List<Descriptor> layers = new ArrayList<>();
        for (int i = fsLayers.size() - 1; i >= 0; i--) {
            String v1 = history.path(i).path("v1Compatibility").asText("{}");
            if (!readObject(v1.getBytes(java.nio.charset.StandardCharsets.UTF_8), "schema1 history")
                    .path("throwaway").asBoolean(false)) {
                String blobSum = fsLayers.get(i).path("blobSum").asText();
                if (!DIGEST.matcher(blobSum).matches()) {
                    throw invalid("a schema1 layer's blobSum is malformed");
                }
                layers.add(new Descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", blobSum, -1, null,
                        Map.of(), List.of()));
            }
        }
        return new Manifest.Image(type, null, layers, true, history.path(0).path("v1Compatibility").asText(null));
    }

    private static String sniff(JsonNode node) {
        if (node.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (node.has("config") && node.has("layers")) {
            return MediaTypes.OCI_MANIFEST;
        }
        if (node.has("fsLayers")) {
            return MediaTypes.DOCKER_SCHEMA1;
        }
        throw invalid("the document is not a manifest");
    }

    private static List<Descriptor> descriptors(JsonNode array) {
        if (!array.isArray()) {
            return List.of();
        }
        List<Descriptor> out = new ArrayList<>(array.size());
        array.forEach(item -> out.add(descriptor(item)));
        return Collections.unmodifiableList(out);
    }

    static Descriptor descriptor(JsonNode node) {
        String digest = node.path("digest").asText("");
        if (!node.isObject() || digest.isEmpty()) {
            throw invalid("a descriptor has no digest");
        }
        // The digest goes into a blob URL: the OCI digest grammar, nothing else; a size, when given, counts bytes.
        JsonNode size = node.path("size");
        if (!DIGEST.matcher(digest).matches()
                || !size.isMissingNode() && !(size.canConvertToLong() && size.asLong() >= 0)) {
            throw invalid("a descriptor's digest or size is malformed");
        }
        JsonNode p = node.path("platform");
        Platform platform = p.isObject()
                ? new Platform(p.path("os").asText(""), p.path("architecture").asText(""), p.path("variant").asText(null))
                : null;
        Map<String, String> annotations = new LinkedHashMap<>();
        node.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        List<String> urls = new ArrayList<>();
        node.path("urls").forEach(u -> urls.add(u.asText()));
        return new Descriptor(node.path("mediaType").asText(""), digest, node.path("size").asLong(-1), platform,
                Map.copyOf(annotations), List.copyOf(urls));
    }

    static JsonNode readObject(byte[] raw, String what) {
        try {
            JsonNode node = JSON.readTree(raw);
            if (node == null || !node.isObject()) {
                throw invalid("the " + what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw invalid("the " + what + " is not valid JSON");
        }
    }

    private static AgentException invalid(String message) {
        return new AgentException(ErrorCode.MANIFEST_INVALID, message);
    }
}
