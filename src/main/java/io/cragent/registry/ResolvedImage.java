package io.cragent.registry;

import io.cragent.registry.manifest.ImageConfig;
import io.cragent.registry.manifest.Manifest;
import io.cragent.registry.manifest.Platform;

import java.util.List;

/**
 * One image for one platform: the top-level digest (an index's when multi-arch), the chosen manifest and its config.
 *
 * @param platforms the platforms the top-level index offers; just the image's own for a single manifest
 */
public record ResolvedImage(ImageReference reference, String repository, String topDigest, String indexDigest,
                            FetchedManifest manifest, ImageConfig config, List<Platform> platforms,
                            List<String> warnings) {

    public Manifest.Image image() {
        return (Manifest.Image) manifest.manifest();
    }
}
