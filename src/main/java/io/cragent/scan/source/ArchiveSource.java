package io.cragent.scan.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.manifest.Descriptor;
import io.cragent.registry.manifest.ImageConfig;
import io.cragent.registry.manifest.Manifest;
import io.cragent.registry.manifest.ManifestParser;
import io.cragent.registry.manifest.Platform;
import io.cragent.registry.manifest.PlatformSelector;
import io.cragent.scan.layers.TarPaths;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image in a tar file on disk: {@code docker save} / skopeo docker-archive ({@code manifest.json}), or an OCI
 * layout ({@code index.json}, {@code blobs/}), which Docker 25+ also writes; or an OCI layout directory. The tar is read by random access, so
 * the small JSON documents are read first and each layer is streamed once, in place.
 */
public final class ArchiveSource implements ImageSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int JSON_CAP = 8 * 1024 * 1024;
    private static final int MAX_LINK_HOPS = 8;

    private final Path file;
    private final Platform platform;
    private final boolean preferOci;
    private final ArchiveEntries archive;
    private final Map<String, TarArchiveEntry> entries;

    /**
     * @param preferOci read the OCI layout even when a {@code manifest.json} is present ({@code oci-archive:})
     */
    public ArchiveSource(Path file, Platform platform, boolean preferOci) throws IOException {
        this.file = file;
        this.platform = platform;
        this.preferOci = preferOci;
        try {
            this.archive = ArchiveEntries.open(file);
        } catch (IOException e) {
            throw new AgentException(ErrorCode.BAD_REQUEST, "cannot read " + file.getFileName() + " as a tar archive", e);
        }
        this.entries = archive.entries;
    }

    @Override
    public ImageDescription describe() throws IOException {
        boolean oci = entries.containsKey("index.json") && (preferOci || !entries.containsKey("manifest.json"));
        if (oci) {
            return describeOci();
        }
        if (entries.containsKey("manifest.json")) {
            return describeDocker();
        }
        throw new AgentException(ErrorCode.BAD_REQUEST, file.getFileName() + " is neither a docker-archive "
                + "(manifest.json) nor an OCI layout (index.json)");
    }

    private ImageDescription describeDocker() throws IOException {
        JsonNode manifest = json("manifest.json").path(0);
        String configPath = manifest.path("Config").asText(null);
        if (configPath == null || !manifest.path("Layers").isArray()) {
            throw new AgentException(ErrorCode.MANIFEST_INVALID, "manifest.json names no Config or Layers");
        }
        ImageConfig config = ImageConfig.parse(bytes(configPath, JSON_CAP));
        List<Layer> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("Layers")) {
            String path = layer.asText();
            layers.add(new Layer(path, path, entry(path).getSize(), "application/vnd.docker.image.rootfs.diff.tar"));
        }
        String base = TarPaths.basename("/" + configPath);
        String imageId = "sha256:" + (base.endsWith(".json") ? base.substring(0, base.length() - 5) : base);
        return new ImageDescription("docker-image|" + file.getFileName(), "", imageId, layers, config,
                config.platform().toString(), List.of(), List.of());
    }

    private ImageDescription describeOci() throws IOException {
        List<String> warnings = new ArrayList<>();
        Manifest current = ManifestParser.parse(bytes("index.json", JSON_CAP), "application/vnd.oci.image.index.v1+json");
        for (int depth = 0; current instanceof Manifest.Index index; depth++) {
            if (depth > 4) {
                throw new AgentException(ErrorCode.MANIFEST_INVALID, "image indexes nested too deep");
            }
            PlatformSelector.Selection selection = PlatformSelector.select(index, platform);
            if (selection.warning() != null) {
                warnings.add(selection.warning());
            }
            Descriptor chosen = selection.descriptor();
            current = ManifestParser.parse(bytes(blobPath(chosen.digest()), JSON_CAP), chosen.mediaType());
        }
        Manifest.Image image = (Manifest.Image) current;
        ImageConfig config = ImageConfig.parse(bytes(blobPath(image.config().digest()), JSON_CAP));
        List<Layer> layers = new ArrayList<>();
        for (Descriptor d : image.layers()) {
            layers.add(new Layer(d.digest(), d.digest(), d.size(), d.mediaType()));
        }
        return new ImageDescription("docker-image|" + file.getFileName(), "", image.config().digest(), layers, config,
                config.platform().toString(), List.of(), warnings);
    }

    @Override
    public InputStream openLayer(Layer layer) throws IOException {
        String path = layer.id().startsWith("sha256:") || layer.id().startsWith("sha512:") ? blobPath(layer.id()) : layer.id();
        return archive.open(entry(path));
    }

    private static String blobPath(String digest) {
        int colon = digest.indexOf(':');
        return "blobs/" + digest.substring(0, colon) + "/" + digest.substring(colon + 1);
    }

    /** The entry at a path, following links inside the archive (skopeo links legacy layer paths to blobs). */
    private TarArchiveEntry entry(String path) {
        String current = TarPaths.normalize(path);
        for (int hop = 0; hop < MAX_LINK_HOPS && current != null; hop++) {
            TarArchiveEntry entry = entries.get(current.substring(1));
            if (entry == null) {
                break;
            }
            if (entry.isSymbolicLink()) {
                current = TarPaths.resolveAgainst(current, entry.getLinkName());
            } else if (entry.isLink()) {
                current = TarPaths.normalize(entry.getLinkName());
            } else {
                return entry;
            }
        }
        throw new AgentException(ErrorCode.MANIFEST_INVALID, "the archive has no entry " + path);
    }

    private byte[] bytes(String path, int cap) throws IOException {
        TarArchiveEntry entry = entry(path);
        if (entry.getSize() > cap) {
            throw new AgentException(ErrorCode.MANIFEST_INVALID, path + " is larger than " + cap + " bytes");
        }
        try (InputStream in = archive.open(entry)) {
            return in.readNBytes((int) entry.getSize());
        }
    }

    private JsonNode json(String path) throws IOException {
        return JSON.readTree(bytes(path, JSON_CAP));
    }

    @Override
    public void close() throws IOException {
        archive.close();
    }
}
