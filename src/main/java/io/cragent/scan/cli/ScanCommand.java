package io.cragent.scan.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.logging.RedactingStream;
import io.cragent.logging.Redactor;
import io.cragent.registry.ImageReference;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistryEndpoint;
import io.cragent.registry.RegistrySettings;
import io.cragent.registry.http.HttpSettings;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.ImageScanner;
import io.cragent.scan.apps.AppAnalyzers;
import io.cragent.scan.ScanReport;
import io.cragent.scan.ScanSettings;
import io.cragent.scan.output.CycloneDxOutput;
import io.cragent.scan.output.TableOutput;
import io.cragent.scan.source.ArchiveSource;
import io.cragent.scan.source.ImageSource;
import io.cragent.scan.source.RegistrySource;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@code cr-agent scan <image> [--platform p] [--format snyk|cyclonedx|table] [--output file] [--username u]
 * [--password p] [--ca-cert pem] [--insecure-registry host:port]}. Exit codes: 0 scanned, 1 the scan failed,
 * 2 bad input.
 */
public final class ScanCommand {
    public static final int OK = 0;
    public static final int SCAN_FAILED = 1;
    public static final int BAD_INPUT = 2;
    private static final String USAGE = "usage: cr-agent scan <registry-image | docker-archive:FILE | oci-archive:FILE | oci:DIR | FILE.tar>"
            + " [--platform os/arch[/variant]] [--format snyk|cyclonedx|table] [--output FILE]"
            + " [--username U] [--password P] [--ca-cert PEM] [--insecure-registry HOST:PORT]"
            + " [--exclude-app-vulns] [--exclude-node-modules] [--nested-jars-depth N] [--include-system-jars]"
            + " [--no-extra-pip-result]";

    /** A daemon thread of its own: the common pool has no thread to spare on a one-core machine. */
    private static final Executor OPENER = task -> {
        Thread thread = new Thread(task, "image-source-opener");
        thread.setDaemon(true);
        thread.start();
    };

    private final Map<String, String> env;
    private final PrintStream stdout;
    private final PrintStream stderr;

    /** {@code stdout} takes the result as it is; {@code stderr} takes messages, redacted. */
    public ScanCommand(Map<String, String> env, PrintStream stdout, PrintStream stderr) {
        this.env = env;
        this.stdout = stdout;
        this.stderr = RedactingStream.over(stderr);
    }

    /**
     * A one-shot command needs no logging configuration: Log4j's simple logger (warnings and worse on stderr, or
     * {@code LOG_LEVEL}) starts in milliseconds, where the configured one costs half a second of a cold start.
     * It writes to {@code System.err}, which becomes a {@link RedactingStream} here, so that every line the process
     * prints there (the logger's, the JVM's, ours) is redacted like the agent's logs. Call before any logger
     * exists; settings given with {@code -D} win.
     */
    public static void useRedactedSimpleLogging(Map<String, String> env) {
        System.setErr(RedactingStream.over(System.err));
        Redactor.rememberEnvironment(env);
        System.getProperties().putIfAbsent("log4j2.loggerContextFactory",
                "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        System.getProperties().putIfAbsent("org.apache.logging.log4j.simplelog.logFile", "system.err");
        System.getProperties().putIfAbsent("org.apache.logging.log4j.simplelog.level",
                env.getOrDefault("LOG_LEVEL", "warn").toUpperCase(java.util.Locale.ROOT));
    }

    public int run(String[] args) {
        ScanOptions options;
        ScanSettings settings;
        try {
            options = ScanOptions.parse(args, env);
            Redactor.rememberLogin(options.username(), options.password());
            settings = ScanSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            stderr.println("cr-agent scan: " + e.getMessage());
            stderr.println(USAGE);
            return BAD_INPUT;
        }
        // Opening the source (for a registry: the HTTP client and its trust store) and assembling the scanner both
        // load many classes on a cold JVM; they overlap on two threads.
        CompletableFuture<ImageSource> opening = CompletableFuture.supplyAsync(() -> source(options), OPENER);
        ImageScanner scanner = new ImageScanner(settings, AppAnalyzers.forOptions(options.apps()));
        try (ImageSource source = opened(opening)) {
            stderr.println("scanning " + options.image() + " for " + options.platform() + " …");
            ScanReport report = scanner.scan(source);
            String rendered = switch (options.format()) {
                case "cyclonedx" -> CycloneDxOutput.render(report);
                case "table" -> TableOutput.render(report);
                default -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.pluginResponse());
            };
            if (options.output() != null) {
                Files.writeString(options.output(), rendered, StandardCharsets.UTF_8);
            } else {
                stdout.println(rendered);
            }
            stderr.printf("scanned %d layers, %.1f MB in %.2f s: %s, %d %s packages%n", report.image().layers().size(),
                    report.bytesStreamed() / 1e6, report.elapsed().toMillis() / 1000.0, report.os().alias(),
                    report.osPackages().packages().size(), report.osPackages().packageManager());
            return OK;
        } catch (AgentException e) {
            stderr.println("cr-agent scan: " + e.code() + ": " + e.getMessage());
            boolean badInput = e.code().httpStatus() == 400;
            return badInput ? BAD_INPUT : SCAN_FAILED;
        } catch (Exception e) {
            stderr.println("cr-agent scan: the scan failed: " + e.getMessage());
            return SCAN_FAILED;
        }
    }

    private static ImageSource opened(CompletableFuture<ImageSource> opening) throws Exception {
        try {
            return opening.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException io ? io.getCause() : e.getCause();
            throw cause instanceof Exception exception ? exception : e;
        }
    }

    private static ImageSource source(ScanOptions options) {
        try {
            return sourceOf(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ImageSource sourceOf(ScanOptions options) throws IOException {
        String image = options.image();
        Platform platform = Platform.parse(options.platform());
        if (image.startsWith("docker-archive:")) {
            return new ArchiveSource(existing(image.substring("docker-archive:".length())), platform, false);
        }
        if (image.startsWith("oci-archive:")) {
            return new ArchiveSource(existing(image.substring("oci-archive:".length())), platform, true);
        }
        if (image.startsWith("oci:")) {
            Path dir = Path.of(image.substring("oci:".length()));
            if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve("index.json"))) {
                throw new AgentException(ErrorCode.BAD_REQUEST, "no OCI layout (index.json) in " + dir);
            }
            return new ArchiveSource(dir, platform, true);
        }
        if (image.endsWith(".tar") && Files.exists(Path.of(image))) {
            return new ArchiveSource(Path.of(image), platform, false);
        }
        return registrySource(options, platform);
    }

    private static ImageSource registrySource(ScanOptions options, Platform platform) {
        String image = options.image();
        int slash = image.indexOf('/');
        if (slash < 0) {
            throw new AgentException(ErrorCode.BAD_REQUEST, "a registry image must name its registry host: host[:port]/repo:tag");
        }
        String host = image.substring(0, slash);
        ImageReference reference = ImageReference.parse(image.substring(slash + 1), host);
        RegistrySettings defaults = RegistrySettings.defaults();
        Set<String> insecure = new HashSet<>(options.insecureRegistries());
        HttpSettings http = new HttpSettings(defaults.http().connectTimeout(), defaults.http().requestTimeout(),
                defaults.http().idleTimeout(), defaults.http().maxRetries(), defaults.http().backoffBase(),
                defaults.http().maxRetryAfter(), defaults.http().maxRedirects(), options.caCert(), options.proxy());
        // The command line user chooses the registry, so a registry on this machine is fine here.
        RegistrySettings settings = new RegistrySettings(http, defaults.pageSize(), defaults.pageCap(),
                defaults.manifestCap(), defaults.configCap(), defaults.maxIndexDepth(), insecure, true, defaults.realmHosts());
        RegistryClient client = new RegistryClients(settings).forCredentials(RegistryCredentials.basic(RegistryType.NEXUS_CR,
                options.username(), options.password(), host), RegistryEndpoint.PathMeaning.NAMESPACE);
        String displayName = host + "/" + reference.repository();
        return new RegistrySource(client, reference, platform, displayName);
    }

    private static Path existing(String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new AgentException(ErrorCode.BAD_REQUEST, "no such archive: " + file);
        }
        return path;
    }
}
