package io.cragent.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an OCI image layout directory (oci-layout, index.json, blobs/sha256/…) that skopeo can read
 * as {@code oci:<dir>:<ref>}. Blobs are content-addressed, so writing the same bytes twice is harmless.
 */
public final class OciLayout {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    /** A content descriptor as it appears in manifests and indexes. */
    public record Descriptor(String mediaType, String digest, long size) {
        public ObjectNode toJson(ObjectMapper json) {
            ObjectNode node = json.createObjectNode();
            node.put("mediaType", mediaType);
            node.put("digest", digest);
            node.put("size", size);
            return node;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Map<String, ObjectNode> refs = new LinkedHashMap<>();

    private OciLayout(Path dir) {
        this.dir = dir;
    }

    public static OciLayout create(Path dir) {
        try {
            Files.createDirectories(dir.resolve("blobs/sha256"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OciLayout(dir);
    }

    public Path dir() {
        return dir;
    }

    public Descriptor writeBlob(String mediaType, byte[] content) {
        String digest = Digests.sha256(content);
        Path file = blobPath(digest);
        try {
            if (!Files.exists(file)) {
                Files.write(file, content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Descriptor(mediaType, digest, content.length);
    }

    /** Serialises compactly; the exact bytes written are what the digest covers. */
    public Descriptor writeJson(String mediaType, Object json) {
        try {
            return writeBlob(mediaType, JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] readBlob(String digest) {
        try {
            return Files.readAllBytes(blobPath(digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names a manifest or index in index.json so that {@code oci:<dir>:<refName>} resolves to it. */
    public void tag(String refName, Descriptor descriptor) {
        ObjectNode entry = descriptor.toJson(JSON);
        entry.putObject("annotations").put(REF_NAME, refName);
        refs.put(refName, entry);
        writeIndex();
    }

    /** The {@code oci:} transport reference skopeo understands. */
    public String reference(String refName) {
        return "oci:" + dir + ":" + refName;
    }

    private void writeIndex() {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        refs.values().forEach(manifests::add);
        try {
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path blobPath(String digest) {
        return dir.resolve("blobs/sha256").resolve(Digests.hex(digest));
    }
}
