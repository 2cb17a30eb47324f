package io.cragent.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real snyk-broker 5.22.14 (broker-protocol.md §10) as a child process on 127.0.0.1: a {@link #server} in
 * front of a client under test, or a classic {@link #client} in front of our agent. Installed by
 * {@value #INSTALL_SCRIPT} into {@code $CR_AGENT_BROKER_DIR} (default {@code ~/.cache/cr-agent/snyk-broker-5.22.14});
 * missing installs fail, never skip. Each process runs with a clean environment (the broker reads every variable
 * as configuration), the loopback preload, and its log in a temp file; {@link #close()} stops it by handle.
 *
 * <pre>{@code
 * try (SnykBroker server = SnykBroker.server(saas.origin());
 *      SnykBroker client = SnykBroker.client(server.url(), agentUrl, crCredentials, Map.of())) {
 *     server.call("GET", "/broker/" + SnykBroker.TOKEN + "/list", Map.of(), null);
 * }
 * }</pre>
 */
public final class SnykBroker implements AutoCloseable {
    public static final String VERSION = SnykBrokerInstall.VERSION;
    public static final String INSTALL_SCRIPT = "scripts/install-snyk-broker.sh";
    /** The preload of {@link #olderServer}, relative to the project directory. */
    public static final String WITHOUT_POST_STREAMS = "src/test/resources/broker/without-post-streams.js";
    /** A made-up broker token; the offline server accepts any. */
    public static final String TOKEN = "11111111-2222-3333-4444-555555555555";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** Upstream callback paths of the container-registry-agent template (broker-protocol.md §4.6, public). */
    public static final List<String> CALLBACK_PATHS = List.of("/api/v2/import/done",
            "/api/v1/recurring-tests/dependencies", "/api/v2/import/result", "/v1/import/app", "/v2/import/done",
            "/v1/recurring-tests/dependencies", "/v2/import/result", "/rest/scan/result");

    private final String role;
    private final Process process;
    private final Path workDir;
    private final int port;
    private final Map<String, String> roleEnv;
    /** HTTP/1.1 only: the broker's websocket server takes over any request carrying {@code Upgrade: h2c}. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SnykBroker(String role, Process process, Path workDir, int port, Map<String, String> roleEnv) {
        this.role = role;
        this.process = process;
        this.workDir = workDir;
        this.port = port;
        this.roleEnv = roleEnv;
    }

    /** Stops this process and starts the same role again on the same port (an outage of the server). */
    public SnykBroker restart() {
        close();
        return start(role, workDir, roleEnv, port);
    }

    /** The verified install ({@link SnykBrokerInstall#directory()}). */
    public static Path directory() {
        return SnykBrokerInstall.directory();
    }

    /**
     * A server whose private rules send the 8 callback paths to {@code saasOrigin} (e.g. {@code http://127.0.0.1:PORT}),
     * and whose public side allows everything.
     */
    public static SnykBroker server(String saasOrigin) {
        return server(saasOrigin, Map.of());
    }

    public static SnykBroker server(String saasOrigin, Map<String, String> extraEnv) {
        Path dir = tempDir("snyk-broker-server-");
        ObjectNode accept = JSON.createObjectNode();
        ArrayNode privateRules = accept.putArray("private");
        for (String path : CALLBACK_PATHS) {
            privateRules.addObject().put("method", "POST").put("path", path).put("origin", saasOrigin);
        }
        accept.putArray("public").addObject().put("method", "any").put("path", "/*");
        Path acceptFile = write(dir.resolve("accept.json"), accept.toString());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ACCEPT", acceptFile.toString());
        env.put("BROKER_VERSION", VERSION);
        env.putAll(extraEnv);
        return start("server", dir, env);
    }

    /**
     * A server that identifies itself without {@code receive-post-streams}, as servers before POST streaming did
     * (the preload {@value #WITHOUT_POST_STREAMS}): clients must answer with legacy {@code chunk} events
     * (broker-protocol.md §3.6). Otherwise as {@link #server(String, Map)}.
     */
    public static SnykBroker olderServer(String saasOrigin, Map<String, String> extraEnv) {
        Map<String, String> env = new LinkedHashMap<>(extraEnv);
        env.put("NODE_OPTIONS", "--require=" + Path.of(WITHOUT_POST_STREAMS).toAbsolutePath());
        return server(saasOrigin, env);
    }

    /**
     * A classic client with the shipped container-registry-agent template, forwarding to {@code agentUrl}, with
     * {@code CR_CREDENTIALS} (the base64 of one JSON line, as snyk's entrypoint builds it) also used for the
     * validation request to {@code agentUrl + /systemcheck}. {@code extraEnv} overrides or adds variables.
     */
    public static SnykBroker client(String serverUrl, String agentUrl, String crCredentials, Map<String, String> extraEnv) {
        Path dir = tempDir("snyk-broker-client-");
        Path template = directory().resolve(
                "node_modules/snyk-broker/dist/client-templates/container-registry-agent/accept.json.sample");
        Path acceptFile = dir.resolve("accept.json");
        try {
            Files.copy(template, acceptFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + template + " — run " + INSTALL_SCRIPT, e);
        }
        int port = FreePorts.next();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BROKER_TOKEN", TOKEN);
        env.put("BROKER_SERVER_URL", serverUrl);
        env.put("BROKER_CLIENT_URL", "http://127.0.0.1:" + port);
        env.put("PORT", String.valueOf(port));
        env.put("BROKER_HEALTHCHECK_PATH", "/healthcheck");
        env.put("CR_AGENT_URL", agentUrl);
        env.put("ACCEPT", acceptFile.toString());
        env.put("CR_CREDENTIALS", crCredentials);
        env.put("BROKER_CLIENT_VALIDATION_URL", agentUrl + "/systemcheck");
        env.put("BROKER_CLIENT_VALIDATION_AUTHORIZATION_HEADER", crCredentials);
        env.putAll(extraEnv);
        return start("client", dir, env, port);
    }

    private static SnykBroker start(String role, Path dir, Map<String, String> env) {
        return start(role, dir, env, FreePorts.next());
    }

    private static SnykBroker start(String role, Path dir, Map<String, String> roleEnv, int port) {
        Path install = directory();
        Path cli = install.resolve("node_modules/snyk-broker/dist/cli/index.js");
        ProcessBuilder builder = new ProcessBuilder("node", "-r", install.resolve("force-loopback.js").toString(),
                cli.toString(), role);
        builder.directory(install.toFile());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", dir.toString());
        env.put("LOG_LEVEL", "debug");
        env.putAll(roleEnv);
        env.put("PORT", String.valueOf(port));
        builder.redirectErrorStream(true).redirectOutput(dir.resolve(role + ".log").toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node", e);
        }
        SnykBroker broker = new SnykBroker(role, process, dir, port, Map.copyOf(roleEnv));
        broker.awaitHealthy();
        return broker;
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("snyk-broker " + role + " exited with " + process.exitValue()
                        + ":\n" + log());
            }
            try {
                if (call("GET", "/healthcheck", Map.of(), null).statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException("snyk-broker " + role + " not healthy within " + STARTUP + ":\n" + log());
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The process's combined output so far (JSON lines at LOG_LEVEL=debug). */
    public String log() {
        try {
            Path file = workDir.resolve(role + ".log");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read log: " + e + ")";
        }
    }

    /** One request to this process; {@code body} may be null. */
    public HttpResponse<String> call(String method, String pathAndQuery, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a client is connected to this server ({@code /connection-status/<token>} answers ok). */
    public void awaitClientConnected(Duration timeout) {
        awaitClientConnected(TOKEN, timeout);
    }

    /** Waits until a client with {@code token} is connected to this server. */
    public void awaitClientConnected(String token, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = call("GET", "/connection-status/" + token, Map.of(), null);
            if (status.statusCode() == 200 && status.body().contains("\"ok\":true")) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("no client connected to the broker server within " + timeout + ":\n" + log());
    }

    /** The node process, e.g. for its CPU time. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        Processes.destroyTree(process);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
