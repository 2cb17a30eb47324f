package io.cragent.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal registry v2 client for seeding and checking a {@link DistributionRegistry} from tests
 * (not the agent's client). Authorises up front: Basic in htpasswd modes, and in token mode a token for
 * exactly the scopes an operation names, fetched from the registry's {@link TokenIssuer}.
 */
public final class RegistryHttp {

    /** Accept header covering every manifest type our images use, so the registry returns stored bytes. */
    public static final String ACCEPT_ALL_MANIFESTS = String.join(", ", OciLayout.OCI_INDEX,
            OciLayout.DOCKER_MANIFEST_LIST, OciLayout.OCI_MANIFEST, OciLayout.DOCKER_MANIFEST);

    /** A manifest as served: body, Content-Type and Docker-Content-Digest (checked against the body). */
    public record Manifest(String mediaType, String digest, byte[] bytes) {
        public JsonNode json() {
            try {
                return OciLayout.JSON.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final DistributionRegistry registry;
    private final String user;
    private final String password;
    private final HttpClient client;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    /** As the registry's admin (push, pull, catalog). */
    public RegistryHttp(DistributionRegistry registry) {
        this(registry, registry.username(), registry.password());
    }

    /** {@code user == null} means anonymous. */
    public RegistryHttp(DistributionRegistry registry, String user, String password) {
        this.registry = registry;
        this.user = user;
        this.password = password;
        this.client = registry.httpClient();
    }

    /** Sends one request with the right Authorization for {@code scopes}; 4xx/5xx are returned, not thrown. */
    public HttpResponse<byte[]> send(String method, String pathAndQuery, Map<String, String> headers, byte[] body,
            List<String> scopes) {
        URI uri = pathAndQuery.startsWith("http") ? URI.create(pathAndQuery)
                : URI.create(registry.baseUrl() + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        String authorization = authorization(scopes);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The Authorization value for these scopes: Basic, Bearer (token mode) or null (anonymous registry/user). */
    public String authorization(List<String> scopes) {
        if (registry.mode() == DistributionRegistry.Mode.ANONYMOUS_PLAIN) {
            return null;
        }
        if (registry.mode() == DistributionRegistry.Mode.TLS_TOKEN) {
            return "Bearer " + token(scopes);
        }
        return user == null ? null : basic(user, password);
    }

    /** A token from the registry's issuer for these scopes (cached per scope list). */
    public String token(List<String> scopes) {
        return tokens.computeIfAbsent(String.join(" ", scopes), key -> fetchToken(scopes));
    }

    public Manifest getManifest(String repository, String reference) {
        HttpResponse<byte[]> response = send("GET", "/v2/" + repository + "/manifests/" + reference,
                Map.of("Accept", ACCEPT_ALL_MANIFESTS), null, List.of(pullScope(repository)));
        expect(response, 200);
        String digest = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        String computed = Digests.sha256(response.body());
        if (digest != null && !digest.equals(computed)) {
            throw new IllegalStateException("registry digest " + digest + " != sha256(body) " + computed);
        }
        return new Manifest(response.headers().firstValue("Content-Type").orElse(null), computed, response.body());
    }

    /** Puts a manifest and returns the digest the registry reports. */
    public String putManifest(String repository, String reference, String mediaType, byte[] bytes) {
        HttpResponse<byte[]> response = send("PUT", "/v2/" + repository + "/manifests/" + reference,
                Map.of("Content-Type", mediaType), bytes, List.of(pushScope(repository)));
        expect(response, 201);
        return response.headers().firstValue("Docker-Content-Digest").orElse(Digests.sha256(bytes));
    }

    /**
     * Makes a blob exist in {@code repository}: cross-repository mount from {@code fromRepository} (no data sent),
     * falling back to a monolithic upload when the registry answers 202 instead of 201.
     */
    public void mountOrUpload(String repository, String fromRepository, String digest, byte[] content) {
        List<String> scopes = List.of(pushScope(repository), pullScope(fromRepository));
        HttpResponse<byte[]> response = send("POST", "/v2/" + repository + "/blobs/uploads/?mount="
                + enc(digest) + "&from=" + enc(fromRepository), Map.of(), null, scopes);
        if (response.statusCode() == 201) {
            return;
        }
        expect(response, 202);
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("upload without Location"));
        String target = location + (location.contains("?") ? "&" : "?") + "digest=" + enc(digest);
        expect(send("PUT", target, Map.of("Content-Type", "application/octet-stream"), content, scopes), 201);
    }

    /** All repository names, following {@code Link: <…>; rel="next"} pages of size {@code pageSize}. */
    public List<String> catalog(int pageSize) {
        List<String> names = new ArrayList<>();
        String next = "/v2/_catalog?n=" + pageSize;
        while (next != null) {
            HttpResponse<byte[]> response = send("GET", next, Map.of(), null, List.of("registry:catalog:*"));
            expect(response, 200);
            try {
                OciLayout.JSON.readTree(response.body()).path("repositories").forEach(n -> names.add(n.asText()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            next = nextLink(response.headers().firstValue("Link").orElse(null));
        }
        return names;
    }

    /** The target of a {@code rel="next"} Link header (2.8.2 sends it relative), or null. */
    public static String nextLink(String linkHeader) {
        if (linkHeader == null) {
            return null;
        }
        Matcher matcher = NEXT_LINK.matcher(linkHeader);
        return matcher.find() ? matcher.group(1) : null;
    }

    public static String pullScope(String repository) {
        return "repository:" + repository + ":pull";
    }

    public static String pushScope(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String fetchToken(List<String> scopes) {
        TokenIssuer issuer = registry.tokenIssuer();
        StringBuilder url = new StringBuilder(issuer.realm()).append("?service=").append(enc(issuer.service()));
        scopes.forEach(scope -> url.append("&scope=").append(enc(scope)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(Duration.ofSeconds(10)).GET();
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            expect(response, 200);
            return OciLayout.JSON.readTree(response.body()).path("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("token request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<byte[]> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri()
                    + " answered " + response.statusCode() + " (expected " + status + "): "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
