package io.cragent.registry.manifest;

import java.util.Locale;
import java.util.Set;

/** Manifest and config media types, and the {@code Accept} list that makes registries serve every modern form. */
public final class MediaTypes {
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

    /** Without this list Docker-style registries fall back to schema1, and distribution 404s OCI content. */
    public static final String MANIFEST_ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST,
            DOCKER_MANIFEST, DOCKER_SCHEMA1_SIGNED);

    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    private static final Set<String> IMAGES = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> SCHEMA1 = Set.of(DOCKER_SCHEMA1_SIGNED, DOCKER_SCHEMA1);
    private static final Set<String> CONFIGS = Set.of(OCI_CONFIG, DOCKER_CONFIG);
    private static final Set<String> GENERIC = Set.of("", "application/json", "application/octet-stream", "text/plain");

    private MediaTypes() {
    }

    /** The type without parameters, lower case; "" for null. */
    public static String essence(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim().toLowerCase(Locale.ROOT);
    }

    public static boolean isIndex(String type) {
        return INDEXES.contains(essence(type));
    }

    public static boolean isImageManifest(String type) {
        return IMAGES.contains(essence(type));
    }

    public static boolean isSchema1(String type) {
        return SCHEMA1.contains(essence(type));
    }

    public static boolean isImageConfig(String type) {
        return CONFIGS.contains(essence(type));
    }

    public static boolean isGeneric(String type) {
        return GENERIC.contains(essence(type));
    }
}
