package io.cragent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.testsupport.OciLayout;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an OCI layout whose one big layer is generated and compressed straight to disk, so that a multi-GB image
 * can be built without holding it in memory: a dpkg database and as many random files as the size asks.
 */
final class StreamedImage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamedImage() {
    }

    static void write(Path dir, long compressedBytes, byte[] dpkgStatus) throws Exception {
        OciLayout layout = OciLayout.create(dir);
        Path tmp = dir.resolve("layer.tmp");
        MessageDigest compressed = MessageDigest.getInstance("SHA-256");
        MessageDigest uncompressed = MessageDigest.getInstance("SHA-256");
        try (OutputStream file = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20), compressed);
             GZIPOutputStream gzip = new FastGzip(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(gzip, uncompressed))) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            entry(tar, "etc/os-release", "ID=ubuntu\nVERSION_ID=\"10.04\"\n".getBytes(StandardCharsets.UTF_8));
            entry(tar, "var/lib/dpkg/status", dpkgStatus);
            Random random = new Random(42);
            byte[] content = new byte[4 * 1024 * 1024];
            for (long written = 0, i = 0; written < compressedBytes; written += content.length, i++) {
                random.nextBytes(content);
                entry(tar, "opt/data/d" + (i % 64) + "/blob-" + i + ".bin", content);
            }
        }
        String digest = "sha256:" + HexFormat.of().formatHex(compressed.digest());
        String diffId = "sha256:" + HexFormat.of().formatHex(uncompressed.digest());
        Path blob = dir.resolve("blobs/sha256/" + digest.substring(7));
        Files.createDirectories(blob.getParent());
        Files.move(tmp, blob, StandardCopyOption.REPLACE_EXISTING);
        OciLayout.Descriptor layer = new OciLayout.Descriptor(OciLayout.OCI_LAYER_GZIP, digest, Files.size(blob));

        ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("config");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(diffId);
        OciLayout.Descriptor configBlob = layout.writeJson(OciLayout.OCI_CONFIG, config);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciLayout.OCI_MANIFEST);
        manifest.set("config", configBlob.toJson(JSON));
        manifest.putArray("layers").add(layer.toJson(JSON));
        layout.tag("1", layout.writeJson(OciLayout.OCI_MANIFEST, manifest));
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** Level 1: random data does not compress, and the default level would spend minutes trying. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(1);
        }
    }
}
