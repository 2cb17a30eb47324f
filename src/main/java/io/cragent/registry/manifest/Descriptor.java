package io.cragent.registry.manifest;

import java.util.List;
import java.util.Map;

/** An OCI content descriptor: what a manifest or index says about a blob or a child manifest. */
public record Descriptor(String mediaType, String digest, long size, Platform platform,
                         Map<String, String> annotations, List<String> urls) {

    public boolean isAttestation() {
        return platform != null && platform.isUnknown()
                || "attestation-manifest".equals(annotations.get("vnd.docker.reference.type"));
    }
}
