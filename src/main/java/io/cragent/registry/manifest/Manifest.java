package io.cragent.registry.manifest;

import java.util.List;

/** What a manifest endpoint may serve: an image manifest or an index of them. */
public sealed interface Manifest {

    String mediaType();

    /** One image: its config and its layers, bottom first. */
    record Image(String mediaType, Descriptor config, List<Descriptor> layers, boolean schema1,
                 String schema1Config) implements Manifest {
        public long totalSize() {
            return (config == null ? 0 : config.size()) + layers.stream().mapToLong(Descriptor::size).sum();
        }
    }

    /** An OCI image index or a Docker manifest list. */
    record Index(String mediaType, List<Descriptor> manifests) implements Manifest {
    }
}
