package io.cragent.registry;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.http.HttpAnswer;
import io.cragent.registry.http.HttpAnswer;
import io.cragent.registry.http.HttpCall;
import io.cragent.registry.manifest.Descriptor;
import io.cragent.registry.manifest.ImageConfig;
import io.cragent.registry.manifest.Manifest;
import io.cragent.registry.manifest.ManifestParser;
import io.cragent.registry.manifest.MediaTypes;
import io.cragent.registry.manifest.Platform;
import io.cragent.registry.manifest.PlatformSelector;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OCI distribution API of one registry with one set of credentials: listing, manifests, blobs. Repository names
 * here are the SaaS's names; the endpoint adds its namespace prefix.
 */
public final class RegistryClient {
    private final RegistryEndpoint endpoint;
    private final RegistryCaller caller;
    private final PageWalker pages;
    private final RegistrySettings settings;
    private final RegistryObserver observer;

    RegistryClient(RegistryEndpoint endpoint, RegistryCaller caller, RegistrySettings settings, RegistryObserver observer) {
        this.observer = observer;
        this.endpoint = endpoint;
        this.caller = caller;
        this.settings = settings;
        this.pages = new PageWalker(caller, settings.pageCap());
    }

    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    /** {@code GET /v2/} with our credentials: proves the registry is reachable and accepts them. */
    public void checkAccess() {
        caller.callOk(HttpCall.get(endpoint.apiRoot()), List.of(), ErrorCode.NOT_FOUND, "the registry API").close();
    }

    /** All repositories through {@code _catalog}; registries that refuse it cannot list, which is not an error. */
    public Listing listRepositories() {
        return listRepositories(false);
    }

    /**
     * @param linkless page by {@code last} when a page has no {@code Link} (registries.md §2.2, for Nexus group
     *                 repositories), until a page brings nothing new
     */
    public Listing listRepositories(boolean linkless) {
        URI first = endpoint.api("_catalog?n=" + settings.pageSize());
        try {
            List<String> names = pages.walk(first, List.of(RegistryCaller.CATALOG_SCOPE), "repositories",
                    ErrorCode.NOT_FOUND, "the repository catalog", linkless);
            return new Listing(names.stream().map(endpoint::unqualify).filter(n -> n != null).toList(), null);
        } catch (AgentException e) {
            if (e.code() == ErrorCode.AUTH_FAILED) {
                checkAccess(); // bad credentials fail here; otherwise only the catalog is refused
            }
            if (e.code() == ErrorCode.AUTH_FAILED || e.code() == ErrorCode.ACCESS_DENIED
                    || e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.UNSUPPORTED) {
                return Listing.unsupported("the registry does not let these credentials list repositories ("
                        + e.code() + ")");
            }
            throw e;
        }
    }

    public List<String> listTags(String repository) {
        return pages.walk(tagsUri(repository, settings.pageSize(), null), scopes(repository), "tags",
                ErrorCode.REPOSITORY_NOT_FOUND, "repository " + repository);
    }

    /**
     * One page of tags. The cursor is the last tag served: registries that honour {@code last} page themselves,
     * and for those that ignore it (distribution 2.8.2) the page is cut here.
     */
    public TagPage listTagsPage(String repository, int pageSize, String afterTag) {
        URI uri = tagsUri(repository, pageSize, afterTag);
        PageWalker.Page page = pages.page(caller.fetch(HttpCall.get(uri), scopes(repository),
                ErrorCode.REPOSITORY_NOT_FOUND, "repository " + repository, PageWalker.PAGE_BODY_CAP), "tags");
        List<String> tags = page.names();
        if (afterTag != null && tags.contains(afterTag)) {
            tags = tags.subList(tags.indexOf(afterTag) + 1, tags.size());
        }
        boolean more = tags.size() > pageSize || page.next().isPresent() && tags.size() == pageSize;
        List<String> served = tags.size() > pageSize ? tags.subList(0, pageSize) : tags;
        return new TagPage(List.copyOf(served), more && !served.isEmpty() ? served.get(served.size() - 1) : null);
    }

    /** The digest, media type and size of a manifest from a {@code HEAD}, without downloading it. */
    public FetchedManifest headManifest(String repository, String reference) {
        HttpCall head = manifestCall(repository, reference).withMethod("HEAD");
        try (HttpAnswer answer = caller.callOk(head, scopes(repository), ErrorCode.IMAGE_NOT_FOUND,
                "image " + repository + ":" + reference)) {
            Optional<String> digest = answer.header("Docker-Content-Digest").filter(OciNames::isDigest);
            if (digest.isEmpty()) {
                return fetchManifest(repository, reference);
            }
            long size = answer.header("Content-Length").map(Long::parseLong).orElse(-1L);
            return new FetchedManifest(digest.get(), MediaTypes.essence(answer.header("Content-Type").orElse("")), size, null);
        }
    }

    /** A manifest, verified against the digest it was asked by, or against the registry's digest header. */
    public FetchedManifest fetchManifest(String repository, String reference) {
        RegistryCaller.Fetched answer = caller.fetch(manifestCall(repository, reference), scopes(repository),
                ErrorCode.IMAGE_NOT_FOUND, "image " + repository + ":" + reference, settings.manifestCap());
        byte[] raw = answer.body();
        Manifest manifest = ManifestParser.parse(raw, answer.header("Content-Type").orElse(""));
        Optional<String> header = answer.header("Docker-Content-Digest").filter(OciNames::isDigest);
        String digest = verifiedDigest(reference, raw, header, manifest);
        return new FetchedManifest(digest, manifest.mediaType(), raw.length, manifest);
    }

    private static String verifiedDigest(String reference, byte[] raw, Optional<String> header, Manifest manifest) {
        boolean signedSchema1 = manifest instanceof Manifest.Image image && image.schema1();
        if (signedSchema1) {
            // The signature is not part of the digested payload: the registry's digest is all we can use.
            return OciNames.isDigest(reference) ? reference : header.orElse(Digests.sha256(raw));
        }
        if (OciNames.isDigest(reference)) {
            Digests.verify(reference, raw, "the manifest");
        }
        String expected = header.orElse(OciNames.isDigest(reference) ? reference : Digests.sha256(raw));
        Digests.verify(expected, raw, "the manifest");
        return OciNames.isDigest(reference) ? reference : expected;
    }

    /** A small blob (an image config), read whole and verified. */
    public byte[] fetchSmallBlob(String repository, Descriptor descriptor, int cap) {
        HttpCall get = HttpCall.get(blobUri(repository, descriptor.digest()));
        byte[] bytes = caller.fetch(get, scopes(repository), ErrorCode.BLOB_NOT_FOUND, "blob " + descriptor.digest(),
                cap).body();
        if (descriptor.size() >= 0 && bytes.length != descriptor.size()) {
            throw new AgentException(ErrorCode.INTEGRITY_ERROR, "blob " + descriptor.digest()
                    + " has " + bytes.length + " bytes, its descriptor says " + descriptor.size());
        }
        Digests.verify(descriptor.digest(), bytes, "blob");
        return bytes;
    }

    /**
     * A layer as it streams from the registry, verified against its digest and size when fully read. Redirects to
     * storage are followed without our credentials.
     */
    public java.io.InputStream openBlob(String repository, Descriptor descriptor) {
        HttpCall get = HttpCall.get(blobUri(repository, descriptor.digest())).streamingBody();
        HttpAnswer answer = caller.callOk(get, scopes(repository), ErrorCode.BLOB_NOT_FOUND, "blob " + descriptor.digest());
        return new VerifyingInputStream(new CountingInputStream(answer.body(), observer), descriptor.digest(),
                descriptor.size());
    }

    /**
     * The image for a platform: tag → digest by {@code HEAD}, then manifests by digest (no race with a moving tag),
     * through nested indexes, then the config.
     */
    public ResolvedImage resolve(ImageReference reference, Platform platform) {
        String repository = reference.repository();
        String topDigest = reference.digest() != null ? reference.digest()
                : headManifest(repository, reference.tag()).digest();
        FetchedManifest current = fetchManifest(repository, topDigest);
        List<String> warnings = new ArrayList<>();
        List<Platform> platforms = new ArrayList<>();
        String indexDigest = null;
        for (int depth = 0; current.manifest() instanceof Manifest.Index index; depth++) {
            if (depth >= settings.maxIndexDepth()) {
                throw new AgentException(ErrorCode.MANIFEST_INVALID, "image indexes nested deeper than "
                        + settings.maxIndexDepth());
            }
            if (indexDigest == null) {
                indexDigest = current.digest();
                index.manifests().stream().filter(d -> d.platform() != null && !d.isAttestation())
                        .forEach(d -> platforms.add(d.platform()));
            }
            PlatformSelector.Selection selection = PlatformSelector.select(index, platform);
            Optional.ofNullable(selection.warning()).ifPresent(warnings::add);
            current = fetchManifest(repository, selection.descriptor().digest());
        }
        Manifest.Image image = (Manifest.Image) current.manifest();
        ImageConfig config = image.schema1() ? schema1Config(image, warnings)
                : ImageConfig.parse(fetchSmallBlob(repository, image.config(), settings.configCap()));
        if (platforms.isEmpty()) {
            platforms.add(config.platform());
        }
        return new ResolvedImage(reference, repository, topDigest, indexDigest, current, config,
                List.copyOf(platforms), List.copyOf(warnings));
    }

    private static ImageConfig schema1Config(Manifest.Image image, List<String> warnings) {
        warnings.add("the registry served a legacy schema1 manifest; layer digests are not verifiable by diff id");
        String v1 = image.schema1Config() == null ? "{}" : image.schema1Config();
        return ImageConfig.parse(v1.getBytes(StandardCharsets.UTF_8));
    }

    private HttpCall manifestCall(String repository, String reference) {
        return HttpCall.get(endpoint.api(endpoint.qualify(repository) + "/manifests/" + reference))
                .withHeader("Accept", MediaTypes.MANIFEST_ACCEPT);
    }

    URI blobUri(String repository, String digest) {
        return endpoint.api(endpoint.qualify(repository) + "/blobs/" + digest);
    }

    private URI tagsUri(String repository, int n, String last) {
        String query = "n=" + n + (last == null ? "" : "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8));
        return endpoint.api(endpoint.qualify(repository) + "/tags/list?" + query);
    }

    List<String> scopes(String repository) {
        return List.of(RegistryCaller.pullScope(endpoint.qualify(repository)));
    }
}
