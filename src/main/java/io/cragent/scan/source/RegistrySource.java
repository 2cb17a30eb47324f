package io.cragent.scan.source;

import io.cragent.registry.ImageReference;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.ResolvedImage;
import io.cragent.registry.manifest.Descriptor;
import io.cragent.registry.manifest.Platform;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** An image in a registry: resolved once, its layers streamed straight from the registry. */
public final class RegistrySource implements ImageSource {
    private final RegistryClient client;
    private final ImageReference reference;
    private final Platform platform;
    private final String displayName;
    private ResolvedImage resolved;

    /**
     * @param displayName the image name as the user wrote it, without tag or digest (host included)
     */
    public RegistrySource(RegistryClient client, ImageReference reference, Platform platform, String displayName) {
        this.client = client;
        this.reference = reference;
        this.platform = platform;
        this.displayName = displayName;
    }

    @Override
    public ImageDescription describe() {
        resolved = client.resolve(reference, platform);
        List<Layer> layers = new ArrayList<>();
        for (Descriptor d : resolved.image().layers()) {
            layers.add(new Layer(d.digest(), d.digest(), d.size(), d.mediaType()));
        }
        List<String> names = new ArrayList<>();
        if (reference.tag() != null) {
            names.add(displayName + ":" + reference.tag());
        }
        names.add(displayName + "@" + resolved.manifest().digest());
        if (resolved.indexDigest() != null) {
            names.add(displayName + "@" + resolved.indexDigest());
        }
        String imageId = resolved.image().config() != null ? resolved.image().config().digest() : resolved.manifest().digest();
        return new ImageDescription("docker-image|" + displayName, reference.digest() == null ? reference.tag() : "",
                imageId, layers, resolved.config(), resolved.config().platform().toString(), names, resolved.warnings());
    }

    /** {@link io.cragent.registry.RegistryClient#openBlob} checks digest and size at the blob's end. */
    @Override
    public boolean checksLayerDigests() {
        return true;
    }

    @Override
    public InputStream openLayer(Layer layer) {
        Descriptor descriptor = resolved.image().layers().stream().filter(d -> d.digest().equals(layer.digest()))
                .findFirst().orElseThrow();
        return client.openBlob(reference.repository(), descriptor);
    }
}
