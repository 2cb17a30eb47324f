package io.cragent.scan.source;

import java.io.IOException;
import java.io.InputStream;

/** Where an image comes from: a registry or an archive file. Layers are opened one stream at a time. */
public interface ImageSource extends AutoCloseable {

    ImageDescription describe() throws IOException;

    /** The layer's bytes as stored (compressed or not); the caller closes the stream. */
    InputStream openLayer(Layer layer) throws IOException;

    /** Whether {@link #openLayer} fails a layer whose bytes do not match its {@link Layer#digest()}. */
    default boolean checksLayerDigests() {
        return false;
    }

    @Override
    default void close() throws IOException {
    }
}
