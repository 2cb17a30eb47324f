package io.cragent.scan.apps.node;

import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.LayerContents;
import io.cragent.scan.layers.LayerReader;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** In-memory layers run through the real layer reader, merge and npm analyzer: no image archive needed. */
final class NodeLayers {
    private final List<byte[]> layers = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private ByteArrayOutputStream bytes;
    private TarArchiveOutputStream tar;

    static NodeLayers image() {
        return new NodeLayers().layer();
    }

    /** Starts the next (upper) layer. */
    NodeLayers layer() {
        finish();
        bytes = new ByteArrayOutputStream();
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        return this;
    }

    NodeLayers file(String path, String content) {
        try {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(path.startsWith("/") ? path.substring(1) : path);
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An installed package's package.json at {@code dir/package.json}. */
    NodeLayers pkg(String dir, String name, String version, String... deps) {
        StringBuilder json = new StringBuilder("{\"name\":\"" + name + "\",\"version\":\"" + version + "\"");
        if (deps.length > 0) {
            json.append(",\"dependencies\":{");
            for (int i = 0; i < deps.length; i++) {
                json.append(i == 0 ? "" : ",").append('"').append(deps[i]).append("\":\"*\"");
            }
            json.append('}');
        }
        return file(dir + "/package.json", json.append('}').toString());
    }

    List<AppResult> analyze() {
        return analyze(new NpmAnalyzer());
    }

    List<AppResult> analyze(NpmAnalyzer analyzer) {
        finish();
        List<LayerContents> contents = new ArrayList<>();
        try {
            for (byte[] layer : layers) {
                contents.add(new LayerReader(analyzer.matcher(), analyzer.summarizers(), 1L << 32)
                        .read(new ByteArrayInputStream(layer)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ImageFiles files = ImageFiles.merge(contents);
        warnings.addAll(files.warnings());
        AppFindings findings = analyzer.analyze(files, new AppContext("test:latest", warnings));
        return findings.results();
    }

    List<String> warnings() {
        return warnings;
    }

    private void finish() {
        if (tar == null) {
            return;
        }
        try {
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        layers.add(bytes.toByteArray());
        tar = null;
    }
}
