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
import java.time.Duration;

/**
 * moto's AWS server ({@code moto_server}, moto 5) as a child process on 127.0.0.1 and a free port: STS, IAM and ECR
 * behind one endpoint, chosen by the service in each request's signature. Its IAM checks are off until
 * {@link #enforceIam()}: then every call must be signed by a known key, identity policies are evaluated, and
 * AssumeRole also checks the role's trust policy (principal and {@code sts:ExternalId} conditions).
 */
public final class MotoServer implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final Path tempDir;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private Thread shutdownHook;
    private int port;

    private MotoServer() throws IOException {
        tempDir = Files.createTempDirectory("cr-moto-");
        logFile = tempDir.resolve("moto.log");
    }

    public static MotoServer start() {
        MotoServer moto;
        try {
            moto = new MotoServer();
            moto.launch();
            return moto;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto_server", e);
        }
    }

    /** {@code http://127.0.0.1:NNNNN}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** From now on every call is authenticated and authorized as AWS would (moto's {@code reset-auth} with 0). */
    public void enforceIam() {
        post("/moto-api/reset-auth", "0");
    }

    /** Back to accepting every call. */
    public void relaxIam() {
        post("/moto-api/reset-auth", "inf");
    }

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<cannot read " + logFile + ">";
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
                // JVM already shutting down; the hook runs anyway
            }
            shutdownHook = null;
        }
        DistributionRegistry.deleteRecursively(tempDir);
    }

    private void launch() throws IOException {
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            port = FreePorts.next();
            ProcessBuilder builder = new ProcessBuilder(executable(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .directory(tempDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // Real AWS credentials or settings of the developer must not leak into the server.
            builder.environment().keySet().removeIf(key -> key.startsWith("AWS_") || key.startsWith("MOTO_"));
            process = builder.start();
            Process started = process;
            shutdownHook = new Thread(() -> Processes.destroyTree(started), "moto-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            if (awaitReady()) {
                return;
            }
            close();
            if (!log().contains("Address already in use")) {
                break;
            }
        }
        throw new IllegalStateException("moto_server did not become ready within " + STARTUP_TIMEOUT + ":\n" + log());
    }

    /** {@code moto_server} from the PATH, else from pyenv, where the machines have moto installed. */
    static String executable() {
        java.util.List<Path> candidates = new java.util.ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "moto_server"));
            }
        }
        Path pyenv = Path.of(System.getenv().getOrDefault("PYENV_ROOT", System.getProperty("user.home") + "/.pyenv"));
        candidates.add(pyenv.resolve("shims/moto_server"));
        try (var versions = Files.list(pyenv.resolve("versions"))) {
            versions.sorted(java.util.Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin/moto_server")));
        } catch (IOException e) {
            // no pyenv versions
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("moto_server not found; scripts/install-test-peers.sh checks for it"));
    }

    private boolean awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(endpoint().resolve("/moto-api/data.json"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                // starting; keep polling
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void post(String path, String body) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(endpoint().resolve(path))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("moto " + path + " answered " + answer.statusCode() + ": " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
