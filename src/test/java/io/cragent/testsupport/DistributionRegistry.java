package io.cragent.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The real CNCF distribution 2.8.2 ({@code docker-registry serve}) as a child process, configured from
 * scratch in a fresh temp dir and bound to 127.0.0.1 on a free port (never the package's default config,
 * which listens on all interfaces). No debug listener is configured, and REGISTRY_* variables are not
 * inherited, so nothing else gets opened.
 */
public final class DistributionRegistry implements AutoCloseable {

    public enum Mode {
        /** http, no auth. */
        ANONYMOUS_PLAIN(false),
        /** http, Basic auth from a bcrypt htpasswd file. */
        PLAIN_HTPASSWD(false),
        /** https (cert from {@link TestPki}), Basic auth from htpasswd. */
        TLS_HTPASSWD(true),
        /** https, Bearer tokens from a {@link TokenIssuer} started alongside. */
        TLS_TOKEN(true);

        private final boolean tls;

        Mode(boolean tls) {
            this.tls = tls;
        }

        public boolean tls() {
            return tls;
        }
    }

    /** Push, pull and (token mode) catalog rights. */
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin-pass";
    /** Token mode: pull on every repository, no push, no catalog. htpasswd modes: just another valid login. */
    public static final String READER_USER = "reader";
    public static final String READER_PASSWORD = "reader-pass";
    public static final String SERVICE = TokenIssuer.DEFAULT_SERVICE;
    public static final String ISSUER = TokenIssuer.DEFAULT_ISSUER;
    public static final String HTPASSWD_REALM = "basic-realm";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Mode mode;
    private final TestPki pki;
    private final Path tempDir;
    private final Path htpasswd;
    private final Path logFile;
    private final TokenIssuer tokenIssuer;
    private final String realmOverride;
    private final String service;
    private final HttpClient httpClient;
    private Path caCertPath;
    private Path configFile;
    private Process process;
    private Thread shutdownHook;
    private int port;

    private DistributionRegistry(Mode mode, TestPki pki, String realmOverride, String service) throws IOException {
        this.mode = mode;
        this.pki = pki;
        this.realmOverride = realmOverride;
        this.service = service;
        this.tempDir = Files.createTempDirectory("cr-registry-");
        this.htpasswd = tempDir.resolve("htpasswd");
        this.logFile = tempDir.resolve("registry.log");
        this.tokenIssuer = mode == Mode.TLS_TOKEN ? TokenIssuer.start(pki, service, ISSUER) : null;
        HttpClient.Builder client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (mode.tls()) {
            client.sslContext(pki.clientSslContext());
        }
        this.httpClient = client.build();
    }

    /** Starts a registry using the JVM-wide {@link TestPki#shared()}. */
    public static DistributionRegistry start(Mode mode) {
        return start(mode, TestPki.shared());
    }

    public static DistributionRegistry start(Mode mode, TestPki pki) {
        return start(mode, pki, null, SERVICE);
    }

    /**
     * A {@link Mode#TLS_TOKEN} registry whose challenge names another realm and service: a fake of a vendor's token
     * service (ACR's {@code /oauth2/token}, Google's {@code /v2/token}) that mints its tokens with
     * {@link TokenIssuer#mintFor}, for the service given here as the JWT audience. The issuer's own endpoint still
     * runs, unused by the registry.
     */
    public static DistributionRegistry startBehindRealm(String realm, String service) {
        return startBehindRealm(realm, service, TestPki.shared());
    }

    /** As {@link #startBehindRealm(String, String)}, its TLS and tokens from {@code pki}. */
    public static DistributionRegistry startBehindRealm(String realm, String service, TestPki pki) {
        return start(Mode.TLS_TOKEN, pki, realm, service);
    }

    private static DistributionRegistry start(Mode mode, TestPki pki, String realmOverride, String service) {
        DistributionRegistry registry;
        try {
            registry = new DistributionRegistry(mode, pki, realmOverride, service);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare registry dir", e);
        }
        try {
            registry.configure();
            registry.launch();
            return registry;
        } catch (IOException | RuntimeException e) {
            registry.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    public Mode mode() {
        return mode;
    }

    public boolean isTls() {
        return mode.tls();
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:NNNNN}, as used in image references. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** {@code https://127.0.0.1:NNNNN} (http in plain modes), without a trailing slash. */
    public String baseUrl() {
        return (mode.tls() ? "https://" : "http://") + hostPort();
    }

    /** PEM of the CA that signed the registry's and the token issuer's TLS certificates; null in plain modes. */
    public Path caCertPath() {
        return caCertPath;
    }

    /** Directory holding only {@code ca.crt}, the layout skopeo's {@code --cert-dir} wants; null in plain modes. */
    public Path certDir() {
        return caCertPath == null ? null : caCertPath.getParent();
    }

    /** A JDK client trusting the test CA (TLS modes), HTTP/1.1, redirects not followed. */
    public HttpClient httpClient() {
        return httpClient;
    }

    /** Trusts the test CA; null in plain modes. */
    public SSLContext clientSslContext() {
        return mode.tls() ? pki.clientSslContext() : null;
    }

    public TestPki pki() {
        return pki;
    }

    /** The push/pull/catalog user; null in {@link Mode#ANONYMOUS_PLAIN}. */
    public String username() {
        return mode == Mode.ANONYMOUS_PLAIN ? null : ADMIN_USER;
    }

    public String password() {
        return mode == Mode.ANONYMOUS_PLAIN ? null : ADMIN_PASSWORD;
    }

    public String readerUsername() {
        return mode == Mode.ANONYMOUS_PLAIN ? null : READER_USER;
    }

    public String readerPassword() {
        return mode == Mode.ANONYMOUS_PLAIN ? null : READER_PASSWORD;
    }

    /** The issuer behind {@code auth.token}; null unless {@link Mode#TLS_TOKEN}. */
    public TokenIssuer tokenIssuer() {
        return tokenIssuer;
    }

    public Path tempDir() {
        return tempDir;
    }

    public Path dataDir() {
        return tempDir.resolve("data");
    }

    public Path configFile() {
        return configFile;
    }

    /** stdout+stderr of the registry process (access log included). */
    public Path logFile() {
        return logFile;
    }

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<cannot read " + logFile + ": " + e + ">";
        }
    }

    /**
     * Adds a login while running. htpasswd modes: 2.8.2 re-reads the htpasswd file on every authentication,
     * and htpasswd auth has no authorization, so the user can do everything. Token mode: the user gets
     * pull+push on every repository and the catalog (use {@code tokenIssuer().user(...)} for finer rights).
     */
    public void addUser(String name, String password) {
        switch (mode) {
            case ANONYMOUS_PLAIN -> throw new IllegalStateException("anonymous registry has no users");
            case TLS_TOKEN -> tokenIssuer.user(name, password).grant("*", "pull", "push", "delete").grantCatalog();
            default -> {
                try {
                    Files.writeString(htpasswd, htpasswdLine(name, password), StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public void close() {
        if (process != null) {
            Processes.destroyTree(process);
            process = null;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // JVM already shutting down; the hook runs anyway.
            }
            shutdownHook = null;
        }
        if (tokenIssuer != null) {
            tokenIssuer.close();
        }
        deleteRecursively(tempDir);
    }

    private void configure() throws IOException {
        switch (mode) {
            case PLAIN_HTPASSWD, TLS_HTPASSWD -> Files.writeString(htpasswd,
                    htpasswdLine(ADMIN_USER, ADMIN_PASSWORD) + htpasswdLine(READER_USER, READER_PASSWORD),
                    StandardCharsets.UTF_8);
            case TLS_TOKEN -> {
                tokenIssuer.user(ADMIN_USER, ADMIN_PASSWORD).grant("*", "pull", "push", "delete").grantCatalog();
                tokenIssuer.user(READER_USER, READER_PASSWORD).grant("*", "pull");
            }
            default -> {
            }
        }
        if (mode.tls()) {
            Path certs = Files.createDirectories(tempDir.resolve("certs"));
            caCertPath = pki.writeCaPem(certs.resolve("ca.crt"));
            pki.writeServerPem(tempDir.resolve("tls"));
        }
        if (mode == Mode.TLS_TOKEN) {
            pki.writeTokenSignerPem(tempDir.resolve("token"));
        }
    }

    private String configYaml() {
        StringBuilder yaml = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: warn\n  formatter: text\n")
                .append("storage:\n")
                .append("  filesystem:\n    rootdirectory: ").append(quote(dataDir())).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
                .append("http:\n")
                .append("  addr: 127.0.0.1:").append(port).append('\n')
                // A fixed secret silences the "No HTTP secret" warning; uploads stay on this one instance anyway.
                .append("  secret: ").append(HexFormat.of().formatHex(randomBytes(16))).append('\n');
        if (mode.tls()) {
            yaml.append("  tls:\n")
                    .append("    certificate: ").append(quote(tempDir.resolve("tls/server.crt"))).append('\n')
                    .append("    key: ").append(quote(tempDir.resolve("tls/server.key"))).append('\n');
        }
        switch (mode) {
            case PLAIN_HTPASSWD, TLS_HTPASSWD -> yaml.append("auth:\n  htpasswd:\n")
                    .append("    realm: ").append(HTPASSWD_REALM).append('\n')
                    .append("    path: ").append(quote(htpasswd)).append('\n');
            case TLS_TOKEN -> yaml.append("auth:\n  token:\n")
                    .append("    realm: ").append(quote(realmOverride != null ? realmOverride : tokenIssuer.realm()))
                    .append('\n')
                    .append("    service: ").append(quote(service)).append('\n')
                    .append("    issuer: ").append(ISSUER).append('\n')
                    .append("    rootcertbundle: ").append(quote(tempDir.resolve("token/token-signer.crt"))).append('\n');
            default -> {
            }
        }
        return yaml.toString();
    }

    private void launch() throws IOException {
        String lastLog = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            port = FreePorts.next();
            configFile = Files.writeString(tempDir.resolve("config.yml"), configYaml(), StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder("docker-registry", "serve", configFile.toString())
                    .directory(tempDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // REGISTRY_* variables override the config file (e.g. REGISTRY_HTTP_DEBUG_ADDR); never inherit them.
            builder.environment().keySet().removeIf(key -> key.startsWith("REGISTRY_"));
            process = builder.start();
            Process started = process;
            // If the test JVM is stopped without close() (e.g. a build timeout), still kill and clean up.
            shutdownHook = new Thread(() -> {
                Processes.destroyTree(started);
                deleteRecursively(tempDir);
            }, "registry-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            if (awaitReady()) {
                return;
            }
            lastLog = log();
            Processes.destroyTree(process);
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            shutdownHook = null;
            process = null;
            if (!lastLog.contains("address already in use")) {
                break;
            }
        }
        throw new IllegalStateException("docker-registry (" + mode + ") did not become ready within "
                + STARTUP_TIMEOUT + "; log " + logFile + ":\n" + lastLog);
    }

    /** Polls {@code GET /v2/} until it answers 200 or 401; false if the process dies or time runs out. */
    private boolean awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                int status = httpClient.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return true;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                // e.g. TLS not ready yet; keep polling until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleep(50);
        }
        return false;
    }

    /** bcrypt ($2y$, cost 5) as {@code htpasswd -Bbn} writes it; distribution only accepts bcrypt entries. */
    static String htpasswdLine(String user, String password) {
        return user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), randomBytes(16), 5) + "\n";
    }

    private static String quote(Object value) {
        return "'" + value.toString().replace("'", "''") + "'";
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file must not fail a test
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return "DistributionRegistry[" + mode + " " + baseUrl() + "]";
    }
}
