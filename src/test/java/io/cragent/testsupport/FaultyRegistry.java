package io.cragent.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake plain-http registry for faults a real registry will not produce on demand. It serves one tiny
 * valid OCI image ({@value #REPOSITORY}:{@value #TAG}: manifest, config, one layer, correct digests) and
 * lets a test script, per request path: 429 with {@code Retry-After: 1} N times, 500 N times, truncated
 * bodies N times, bodies that stall halfway until the registry closes, a 307 redirect of a blob to a second server on another port (another origin, which
 * records whether an Authorization header reached it), and bodies that do not match their digest.
 * Scripted faults apply to GET and HEAD alike and come after the auth check.
 */
public final class FaultyRegistry implements AutoCloseable {

    public static final String REPOSITORY = "fault/app";
    public static final String TAG = "1.0";
    public static final String REALM = "fake";

    private enum Fault { THROTTLE, SERVER_ERROR, TRUNCATE, STALL }

    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private final HttpServer otherOrigin;
    private final ExecutorService executor;
    private final String user;
    private final String password;
    private final byte[] manifestBytes;
    private final String manifestDigest;
    private final byte[] configBytes;
    private final String configDigest;
    private final byte[] layerBytes;
    private final String layerDigest;
    private final Map<String, Deque<Fault>> oneShotFaults = new ConcurrentHashMap<>();
    private final Set<String> redirected = ConcurrentHashMap.newKeySet();
    private final Set<String> corrupted = ConcurrentHashMap.newKeySet();
    /** Scripted manifests of {@link #REPOSITORY}, by tag and by digest: body and Content-Type. */
    private final Map<String, Map.Entry<String, byte[]>> extraManifests = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> otherOriginRequests = new CopyOnWriteArrayList<>();
    /** Released by {@link #close()}: stalled responses wait on it. */
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    private FaultyRegistry(String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        // A layer of its own (the marker file): were it TestImages' base layer, an agent that scanned that one first
        // would answer from its layer cache and never ask this registry for the layer its faults are on.
        TarLayer.Built layer = TarLayer.builder().directory("etc/")
                .file("etc/os-release", TestImages.OS_RELEASE).file("etc/cragent-faulty-registry", "faults\n").build();
        this.layerBytes = layer.gzip();
        this.layerDigest = layer.digest();
        this.configBytes = OciLayout.JSON.writeValueAsBytes(TestImages.config(
                TestImages.ImageSpec.of(TestImages.Platform.LINUX_AMD64), List.of(layer.diffId())));
        this.configDigest = Digests.sha256(configBytes);
        this.manifestBytes = OciLayout.JSON.writeValueAsBytes(TestImages.manifest(
                new OciLayout.Descriptor(OciLayout.OCI_CONFIG, configDigest, configBytes.length),
                List.of(new OciLayout.Descriptor(OciLayout.OCI_LAYER_GZIP, layerDigest, layerBytes.length))));
        this.manifestDigest = Digests.sha256(manifestBytes);

        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "faulty-registry");
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(FreePorts.loopbackAnyPort(), 0);
        this.server.setExecutor(executor);
        this.server.createContext("/", this::handleRegistry);
        this.otherOrigin = HttpServer.create(FreePorts.loopbackAnyPort(), 0);
        this.otherOrigin.setExecutor(executor);
        this.otherOrigin.createContext("/", this::handleOtherOrigin);
        this.server.start();
        this.otherOrigin.start();
    }

    /** Anonymous access. */
    public static FaultyRegistry start() {
        return start(null, null);
    }

    /** Requires {@code Authorization: Basic} with these credentials on every /v2/ path. */
    public static FaultyRegistry start(String user, String password) {
        try {
            return new FaultyRegistry(user, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start faulty registry", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    public String baseUrl() {
        return "http://" + hostPort();
    }

    /** The redirect target server: same host, other port, hence another origin. */
    public String otherOriginBaseUrl() {
        return "http://127.0.0.1:" + otherOrigin.getAddress().getPort();
    }

    public String repository() {
        return REPOSITORY;
    }

    public String tag() {
        return TAG;
    }

    public String manifestMediaType() {
        return OciLayout.OCI_MANIFEST;
    }

    public String manifestDigest() {
        return manifestDigest;
    }

    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    public String configDigest() {
        return configDigest;
    }

    public byte[] configBytes() {
        return configBytes.clone();
    }

    public String layerDigest() {
        return layerDigest;
    }

    public byte[] layerBytes() {
        return layerBytes.clone();
    }

    /** {@code /v2/fault/app/manifests/1.0}. */
    public String manifestPath() {
        return "/v2/" + REPOSITORY + "/manifests/" + TAG;
    }

    public String manifestByDigestPath() {
        return "/v2/" + REPOSITORY + "/manifests/" + manifestDigest;
    }

    public String configBlobPath() {
        return blobPath(configDigest);
    }

    public String layerBlobPath() {
        return blobPath(layerDigest);
    }

    public String blobPath(String digest) {
        return "/v2/" + REPOSITORY + "/blobs/" + digest;
    }

    /** The next {@code times} requests to {@code path} get 429 with {@code Retry-After: 1}. */
    public FaultyRegistry throttle(String path, int times) {
        return enqueue(path, Fault.THROTTLE, times);
    }

    /** The next {@code times} requests to {@code path} get 500. */
    public FaultyRegistry serverError(String path, int times) {
        return enqueue(path, Fault.SERVER_ERROR, times);
    }

    /** The next {@code times} responses on {@code path} send half their body, then nothing until {@link #close()}. */
    public FaultyRegistry stall(String path, int times) {
        return enqueue(path, Fault.STALL, times);
    }

    /** The next {@code times} GETs of {@code path} announce the full length but send only half, then drop. */
    public FaultyRegistry truncate(String path, int times) {
        return enqueue(path, Fault.TRUNCATE, times);
    }

    /** Blob GETs of {@code path} answer 307 to the other origin (with a presigned-URL-like query). */
    public FaultyRegistry redirectToOtherOrigin(String path) {
        redirected.add(path);
        return this;
    }

    /** {@code path} serves bytes that do not hash to the digest it claims (Docker-Content-Digest unchanged). */
    public FaultyRegistry corrupt(String path) {
        corrupted.add(path);
        return this;
    }

    /**
     * Serves {@code body} as a manifest of {@link #REPOSITORY} under {@code tag} and under its sha256 digest (which
     * it returns), with this Content-Type and a correct Docker-Content-Digest: however malformed the body, it is
     * what the registry says it is.
     */
    public String serveManifest(String tag, String contentType, byte[] body) {
        String digest = Digests.sha256(body);
        extraManifests.put(tag, Map.entry(contentType, body));
        extraManifests.put(digest, Map.entry(contentType, body));
        return digest;
    }

    public void clearFaults() {
        extraManifests.clear();
        oneShotFaults.clear();
        redirected.clear();
        corrupted.clear();
    }

    /** Requests to this registry, in order (credentials never stored, only the scheme). */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Requests that arrived at the redirect target. */
    public List<RecordedRequest> otherOriginRequests() {
        return List.copyOf(otherOriginRequests);
    }

    public long requestCount(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    public void clearRequests() {
        requests.clear();
        otherOriginRequests.clear();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        otherOrigin.stop(0);
        executor.shutdownNow();
    }

    private FaultyRegistry enqueue(String path, Fault fault, int times) {
        Deque<Fault> queue = oneShotFaults.computeIfAbsent(path, p -> new ArrayDeque<>());
        synchronized (queue) {
            for (int i = 0; i < times; i++) {
                queue.addLast(fault);
            }
        }
        return this;
    }

    private Fault nextFault(String path) {
        Deque<Fault> queue = oneShotFaults.get(path);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            return queue.pollFirst();
        }
    }

    private void handleRegistry(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(RecordedRequest.of(exchange));
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            exchange.getResponseHeaders().set("Docker-Distribution-Api-Version", "registry/2.0");
            if (!path.startsWith("/v2/")) {
                error(exchange, 404, "NOT_FOUND", "not a registry path");
                return;
            }
            if (user != null && !authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
                error(exchange, 401, "UNAUTHORIZED", "authentication required");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                error(exchange, 405, "UNSUPPORTED", "read-only fake");
                return;
            }
            Fault fault = nextFault(path);
            if (fault == Fault.THROTTLE) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                error(exchange, 429, "TOOMANYREQUESTS", "scripted throttle");
                return;
            }
            if (fault == Fault.SERVER_ERROR) {
                error(exchange, 500, "UNKNOWN", "scripted server error");
                return;
            }
            if (path.equals("/v2/")) {
                json(exchange, 200, "{}");
            } else if (path.equals("/v2/_catalog")) {
                json(exchange, 200, "{\"repositories\":[\"" + REPOSITORY + "\"]}");
            } else if (path.equals("/v2/" + REPOSITORY + "/tags/list")) {
                json(exchange, 200, "{\"name\":\"" + REPOSITORY + "\",\"tags\":[\"" + TAG + "\"]}");
            } else {
                if (fault == Fault.STALL) {
                    stallHalfway(exchange, path);
                    return;
                }
                serveContent(exchange, path, fault == Fault.TRUNCATE);
            }
        }
    }

    private void serveContent(HttpExchange exchange, String path, boolean truncate) throws IOException {
        Matcher manifest = MANIFEST.matcher(path);
        Matcher blob = BLOB.matcher(path);
        Map.Entry<String, byte[]> extra = manifest.matches() && manifest.group(1).equals(REPOSITORY)
                ? extraManifests.get(manifest.group(2)) : null;
        if (extra != null) {
            exchange.getResponseHeaders().set("Content-Type", extra.getKey());
            exchange.getResponseHeaders().set("Docker-Content-Digest", Digests.sha256(extra.getValue()));
            send(exchange, 200, extra.getValue(), truncate);
        } else if (manifest.matches() && manifest.group(1).equals(REPOSITORY)
                && (manifest.group(2).equals(TAG) || manifest.group(2).equals(manifestDigest))) {
            byte[] body = corrupted.contains(path) ? withTrailingNewline(manifestBytes) : manifestBytes;
            exchange.getResponseHeaders().set("Content-Type", OciLayout.OCI_MANIFEST);
            exchange.getResponseHeaders().set("Docker-Content-Digest", manifestDigest);
            send(exchange, 200, body, truncate);
        } else if (blob.matches() && blob.group(1).equals(REPOSITORY) && blobBytes(blob.group(2)) != null) {
            String digest = blob.group(2);
            if (redirected.contains(path)) {
                exchange.getResponseHeaders().set("Location",
                        otherOriginBaseUrl() + "/blob-store/" + digest + "?signature=scripted-redirect");
                exchange.sendResponseHeaders(307, -1);
                return;
            }
            byte[] body = corrupted.contains(path) ? flipLastByte(blobBytes(digest)) : blobBytes(digest);
            exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
            serveBlob(exchange, body, truncate);
        } else if (manifest.matches()) {
            error(exchange, 404, "MANIFEST_UNKNOWN", "manifest unknown");
        } else if (blob.matches()) {
            error(exchange, 404, "BLOB_UNKNOWN", "blob unknown to registry");
        } else {
            error(exchange, 404, "NAME_UNKNOWN", "repository name not known to registry");
        }
    }

    private void stallHalfway(HttpExchange exchange, String path) throws IOException {
        Matcher blob = BLOB.matcher(path);
        byte[] body = blob.matches() ? blobBytes(blob.group(2)) : null;
        if (body == null) {
            error(exchange, 404, "BLOB_UNKNOWN", "only blobs stall");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body, 0, body.length / 2);
        exchange.getResponseBody().flush();
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("stalled response ended by close");
    }

    /** The redirect target: serves known blobs by digest and never asks for credentials. */
    private void handleOtherOrigin(HttpExchange exchange) throws IOException {
        try (exchange) {
            otherOriginRequests.add(RecordedRequest.of(exchange));
            String path = exchange.getRequestURI().getPath();
            byte[] body = path.startsWith("/blob-store/") ? blobBytes(path.substring("/blob-store/".length())) : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            serveBlob(exchange, body, false);
        }
    }

    /** Full body, or 206 for a single {@code bytes=a-[b]} range (used for resume after truncation). */
    private static void serveBlob(HttpExchange exchange, byte[] body, boolean truncate) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        String range = exchange.getRequestHeaders().getFirst("Range");
        Matcher matcher = range == null ? null : RANGE.matcher(range.trim());
        if (matcher != null && matcher.matches()) {
            int start = Integer.parseInt(matcher.group(1));
            int end = matcher.group(2).isEmpty() ? body.length - 1
                    : Math.min(Integer.parseInt(matcher.group(2)), body.length - 1);
            if (start >= body.length || start > end) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + body.length);
            byte[] part = new byte[end - start + 1];
            System.arraycopy(body, start, part, 0, part.length);
            send(exchange, 206, part, truncate);
            return;
        }
        send(exchange, 200, body, truncate);
    }

    private static void send(HttpExchange exchange, int status, byte[] body, boolean truncate) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        if (truncate) {
            exchange.getResponseBody().write(body, 0, body.length / 2);
            exchange.getResponseBody().flush();
            // Do not close the body stream here: that would let the JDK server keep the connection open and
            // the client wait forever. Throwing out of the handler instead makes the server close the
            // exchange short of its Content-Length, which drops the TCP connection mid-body.
            throw new IOException("scripted truncation");
        }
        exchange.getResponseBody().write(body);
    }

    private byte[] blobBytes(String digest) {
        if (digest.equals(configDigest)) {
            return configBytes;
        }
        if (digest.equals(layerDigest)) {
            return layerBytes;
        }
        return null;
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return expected.equals(header == null ? null : header.trim());
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        json(exchange, status, "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":null}]}");
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        send(exchange, status, body.getBytes(StandardCharsets.UTF_8), false);
    }

    private static byte[] withTrailingNewline(byte[] bytes) {
        byte[] copy = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        copy[bytes.length] = '\n';
        return copy;
    }

    private static byte[] flipLastByte(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length - 1] ^= (byte) 0xff;
        return copy;
    }
}
