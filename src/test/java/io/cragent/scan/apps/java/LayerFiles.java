package io.cragent.scan.apps.java;

import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.LayerContents;
import io.cragent.scan.layers.LayerReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Runs layers through the real layer reader and merge for one analyzer, in process (no image, no skopeo). */
final class LayerFiles {
    private LayerFiles() {
    }

    static ImageFiles read(AppAnalyzer analyzer, JavaTestImage.Layer... bottomFirst) {
        LayerReader reader = new LayerReader(analyzer.matcher(), analyzer.summarizers(), 1L << 30);
        List<LayerContents> layers = new ArrayList<>();
        try {
            for (JavaTestImage.Layer layer : bottomFirst) {
                layers.add(reader.read(new ByteArrayInputStream(layer.tar())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ImageFiles.merge(layers);
    }
}
