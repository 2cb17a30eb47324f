package io.cragent.agent.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cragent.registry.ResolvedImage;
import io.cragent.registry.manifest.Descriptor;
import io.cragent.registry.manifest.Platform;

import java.util.List;
import java.util.Map;

/** The answer of {@code /image-metadata}: what the SaaS needs to decide whether and what to scan. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ImageMetadata(String image, String repository, String tag, String digest, String indexDigest,
                            String manifestDigest, String mediaType, String platform, List<String> platforms,
                            String configDigest, String created, Map<String, String> labels, List<Layer> layers,
                            long totalSize, List<String> warnings) {

    /** One layer as its manifest describes it. */
    public record Layer(String digest, long size, String mediaType) {
    }

    static ImageMetadata of(ResolvedImage resolved) {
        var image = resolved.image();
        List<Layer> layers = image.layers().stream().map(d -> new Layer(d.digest(), d.size(), d.mediaType())).toList();
        Descriptor config = image.config();
        return new ImageMetadata(resolved.reference().toString(), resolved.repository(), resolved.reference().tag(),
                resolved.topDigest(), resolved.indexDigest(), resolved.manifest().digest(), resolved.manifest().mediaType(),
                resolved.config().platform().toString(), resolved.platforms().stream().map(Platform::toString).toList(),
                config == null ? null : config.digest(), resolved.config().created(), resolved.config().labels(),
                layers, image.totalSize(), resolved.warnings());
    }
}
