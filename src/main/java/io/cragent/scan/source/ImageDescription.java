package io.cragent.scan.source;

import io.cragent.registry.manifest.ImageConfig;

import java.util.List;

/**
 * A resolved image: what the scan result names it, its config and its layers.
 *
 * @param rootName    the depGraph root, {@code docker-image|<name without tag>} or the archive's file name
 * @param rootVersion the tag; "" for a digest reference or an archive
 * @param imageNames  the {@code imageNames} fact (registry images only)
 */
public record ImageDescription(String rootName, String rootVersion, String imageId, List<Layer> layers,
                               ImageConfig config, String platform, List<String> imageNames, List<String> warnings) {

    public long compressedSize() {
        return layers.stream().mapToLong(l -> Math.max(0, l.size())).sum();
    }
}
