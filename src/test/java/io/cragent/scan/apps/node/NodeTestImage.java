package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.testsupport.OciLayout;
import io.cragent.testsupport.Processes;
import io.cragent.testsupport.TarLayer;
import io.cragent.testsupport.TestImages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Builds docker-archive images for the npm tests: layers written in Java, packed by skopeo. */
final class NodeTestImage {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private NodeTestImage() {
    }

    /** A layer holding every file below a test resource directory, at the same relative paths. */
    static TarLayer fromResources(String resourceDir) {
        Path root;
        try {
            root = Path.of(NodeTestImage.class.getResource("/" + resourceDir).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        TarLayer layer = TarLayer.builder();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                layer.file(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return layer;
    }

    /** A base layer with /etc/os-release, then {@code layers}, as a docker-archive at {@code archive}. */
    static Path dockerArchive(Path workDir, String name, List<TarLayer.Built> layers) throws IOException {
        OciLayout layout = OciLayout.create(workDir.resolve(name + "-layout"));
        List<TarLayer.Built> all = new java.util.ArrayList<>();
        all.add(TarLayer.builder().directory("etc/").file("etc/os-release", TestImages.OS_RELEASE).build());
        all.addAll(layers);
        ObjectNode config = JSON.createObjectNode();
        config.put("created", TestImages.CREATED).put("architecture", "amd64").put("os", "linux");
        config.putObject("config").putArray("Env").add("PATH=/usr/local/bin:/usr/bin:/bin");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2).put("mediaType", OciLayout.OCI_MANIFEST);
        ArrayNode layerArray = manifest.putArray("layers");
        for (TarLayer.Built layer : all) {
            diffIds.add(layer.diffId());
            layerArray.add(layout.writeBlob(OciLayout.OCI_LAYER_GZIP, layer.gzip()).toJson(JSON));
        }
        manifest.set("config", layout.writeJson(OciLayout.OCI_CONFIG, config).toJson(JSON));
        layout.tag("image", layout.writeJson(OciLayout.OCI_MANIFEST, manifest));
        Path archive = workDir.resolve(name + ".tar");
        Processes.runChecked(Duration.ofSeconds(60), List.of("skopeo", "--insecure-policy", "copy", "--quiet",
                layout.reference("image"), "docker-archive:" + archive + ":" + name + ":latest"));
        return archive;
    }
}
