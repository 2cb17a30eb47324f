package io.cragent.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ECR API (JSON 1.1, {@code X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>}) for what moto
 * does not do: it pages {@code DescribeRepositories}, {@code ListImages} and {@code DescribeImages} by
 * {@code maxResults} and {@code nextToken}, returns authorization tokens with a real {@code expiresAt}, and can
 * answer {@code ThrottlingException} or {@code ExpiredTokenException} on demand. Shapes as in the ECR API
 * reference; signatures are not checked. Records every call's operation and maxResults.
 */
public final class FakeEcrApi implements AutoCloseable {
    private static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One image of a repository. */
    public record Image(String digest, List<String> tags, Instant pushedAt, String mediaType) {
    }

    /** One call: the operation and the maxResults it asked for (0 when none). */
    public record Call(String operation, int maxResults) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-ecr-api");
        thread.setDaemon(true);
        return thread;
    });
    private final String password;
    private final Map<String, List<Image>> repositories = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> throttled = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> expired = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Duration tokenLifetime = Duration.ofHours(12);
    private volatile Duration tokenDelay = Duration.ZERO;
    private final AtomicInteger revoked = new AtomicInteger();

    private FakeEcrApi(String password) throws IOException {
        this.password = password;
        server = HttpServer.create(FreePorts.loopbackAnyPort(), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Tokens decode to {@code AWS:<password>}. */
    public static FakeEcrApi start(String password) {
        try {
            return new FakeEcrApi(password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeEcrApi repository(String name, Image... images) {
        repositories.put(name, new CopyOnWriteArrayList<>(List.of(images)));
        return this;
    }

    /** How far in the future {@code expiresAt} of the next tokens lies. */
    public void tokenLifetime(Duration lifetime) {
        tokenLifetime = lifetime;
    }

    /** How long GetAuthorizationToken takes to answer. */
    public void tokenDelay(Duration delay) {
        tokenDelay = delay;
    }

    /** The next {@code times} calls of the operation answer 400 ThrottlingException. */
    public void throttle(String operation, int times) {
        throttled.put(operation, new AtomicInteger(times));
    }

    /** The next {@code times} tokens carry a password the registry no longer accepts, as after a revocation. */
    public void revokeTokens(int times) {
        revoked.set(times);
    }

    /** The next {@code times} calls of the operation answer 400 ExpiredTokenException. */
    public void expireToken(String operation, int times) {
        expired.put(operation, new AtomicInteger(times));
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public long count(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).count();
    }

    public void clearCalls() {
        calls.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "";
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            calls.add(new Call(operation, request.path("maxResults").asInt(0)));
            if (take(throttled, operation)) {
                error(exchange, "ThrottlingException", "Rate exceeded");
                return;
            }
            if (take(expired, operation)) {
                error(exchange, "ExpiredTokenException", "The security token included in the request is expired");
                return;
            }
            switch (operation) {
                case "GetAuthorizationToken" -> authorizationToken(exchange);
                case "DescribeRepositories" -> page(exchange, request, new ArrayList<>(repositories.keySet().stream().sorted().toList()),
                        "repositories", name -> JSON.createObjectNode().put("repositoryName", name)
                                .put("registryId", "123456789012"));
                case "ListImages", "DescribeImages" -> images(exchange, request, operation);
                default -> error(exchange, "InvalidParameterException", "unsupported operation " + operation);
            }
        }
    }

    private void authorizationToken(HttpExchange exchange) throws IOException {
        sleep(tokenDelay);
        String login = "AWS:" + (revoked.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? "revoked-" : "") + password;
        ObjectNode data = JSON.createObjectNode()
                .put("authorizationToken", Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)))
                .put("expiresAt", Instant.now().plus(tokenLifetime).getEpochSecond())
                .put("proxyEndpoint", "https://123456789012.dkr.ecr.us-east-1.amazonaws.com");
        ObjectNode body = JSON.createObjectNode();
        body.putArray("authorizationData").add(data);
        send(exchange, 200, body);
    }

    private void images(HttpExchange exchange, JsonNode request, String operation) throws IOException {
        List<Image> images = repositories.get(request.path("repositoryName").asText());
        if (images == null) {
            error(exchange, "RepositoryNotFoundException", "The repository does not exist");
            return;
        }
        if (operation.equals("ListImages")) {
            List<String[]> ids = new ArrayList<>();
            images.forEach(image -> image.tags().forEach(tag -> ids.add(new String[]{image.digest(), tag})));
            page(exchange, request, ids, "imageIds", id -> JSON.createObjectNode().put("imageDigest", id[0]).put("imageTag", id[1]));
        } else {
            page(exchange, request, images, "imageDetails", image -> {
                ObjectNode detail = JSON.createObjectNode().put("imageDigest", image.digest())
                        .put("imagePushedAt", image.pushedAt().getEpochSecond())
                        .put("imageManifestMediaType", image.mediaType());
                image.tags().forEach(detail.putArray("imageTags")::add);
                return detail;
            });
        }
    }

    /** A page from {@code nextToken} (an offset here), {@code maxResults} long (100 when absent, as ECR). */
    private <T> void page(HttpExchange exchange, JsonNode request, List<T> all, String field,
                          java.util.function.Function<T, JsonNode> render) throws IOException {
        int size = request.path("maxResults").asInt(100);
        int from = request.hasNonNull("nextToken")
                ? Integer.parseInt(new String(Base64.getDecoder().decode(request.get("nextToken").asText()), StandardCharsets.UTF_8))
                : 0;
        int to = Math.min(all.size(), from + size);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray(field);
        all.subList(from, to).forEach(item -> items.add(render.apply(item)));
        if (to < all.size()) {
            body.put("nextToken", Base64.getEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)));
        }
        send(exchange, 200, body);
    }

    private static boolean take(Map<String, AtomicInteger> faults, String operation) {
        AtomicInteger left = faults.get(operation);
        return left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        send(exchange, 400, JSON.createObjectNode().put("__type", type).put("message", message));
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
