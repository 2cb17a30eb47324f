package io.cragent.scan.apps.java;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.testsupport.Digests;
import io.cragent.testsupport.OciLayout;
import io.cragent.testsupport.Processes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Images with hand-made layers, hard links included (which the shared {@code TarLayer} cannot write): written as an
 * OCI layout, then copied by skopeo into a {@code docker-archive}, which both scanners read.
 */
final class JavaTestImage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Date MTIME = new Date(1704067200000L);

    private final List<byte[]> layers = new ArrayList<>();

    /** One layer's tar, entries in the order added; names without a leading slash. */
    static final class Layer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

        Layer() {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Layer file(String name, String content) {
            return file(name, content.getBytes(StandardCharsets.UTF_8));
        }

        Layer file(String name, byte[] content) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(content.length);
            return put(entry, content);
        }

        Layer hardLink(String name, String target) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
            entry.setLinkName(target);
            return put(entry, new byte[0]);
        }

        Layer symlink(String name, String target) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(target);
            return put(entry, new byte[0]);
        }

        private Layer put(TarArchiveEntry entry, byte[] content) {
            entry.setModTime(MTIME);
            if (!entry.isSymbolicLink()) {
                entry.setMode(0100644);
            }
            try {
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        byte[] tar() {
            try {
                tar.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    JavaTestImage layer(Layer layer) {
        layers.add(layer.tar());
        return this;
    }

    /** Writes the image to {@code <dir>/layout} and copies it to {@code <dir>/<fileName>}. */
    Path dockerArchive(Path dir, String fileName) {
        OciLayout layout = OciLayout.create(dir.resolve("layout"));
        ArrayNode diffIds = JSON.createArrayNode();
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OciLayout.OCI_MANIFEST);
        ArrayNode layerDescriptors = JSON.createArrayNode();
        for (byte[] tar : layers) {
            diffIds.add(Digests.sha256(tar));
            layerDescriptors.add(layout.writeBlob(OciLayout.OCI_LAYER_GZIP, gzip(tar)).toJson(JSON));
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("created", "2024-01-01T00:00:00Z");
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.putObject("config").putArray("Env").add("PATH=/usr/bin:/bin");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.set("diff_ids", diffIds);
        manifest.set("config", layout.writeJson(OciLayout.OCI_CONFIG, config).toJson(JSON));
        manifest.set("layers", layerDescriptors);
        layout.tag("image", layout.writeJson(OciLayout.OCI_MANIFEST, manifest));
        Path archive = dir.resolve(fileName);
        Processes.runChecked(Duration.ofSeconds(60), List.of("skopeo", "--insecure-policy", "copy", "--quiet",
                layout.reference("image"), "docker-archive:" + archive));
        return archive;
    }

    private static byte[] gzip(byte[] tar) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
