package io.cragent.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The reference scanner: snyk-docker-plugin 9.20.2 run by node with our runner
 * ({@code bench/reference/run-snyk-docker-plugin.js}), as scanning.md §12 describes.
 *
 * <p>Installed by {@code scripts/install-reference-scanner.sh} into {@code $CR_AGENT_REFERENCE_DIR}, default
 * {@code ~/.cache/cr-agent/snyk-docker-plugin-9.20.2}. {@link #installed()} fails (it never skips) when it is missing.
 *
 * <p>Every scan runs with:
 * <ul>
 *   <li>a {@code PATH} holding no {@code docker} executable (directories with one are dropped, {@code node} is
 *       reached through a private symlink), so the plugin never switches to the Docker CLI;</li>
 *   <li>{@code NODE_EXTRA_CA_CERTS} when {@link #withCaCert(Path)} was given (TLS test registries);</li>
 *   <li>a fresh scratch {@code imageSavePath} unless the options carry one, deleted afterwards.</li>
 * </ul>
 *
 * <pre>{@code
 * JsonNode response = ReferenceScanner.installed().scan("docker-archive:" + tar, Map.of());
 * ScanResults.packageCounts(response);   // {"deb:os": 84}
 * ReferenceScanner.Measured m = ReferenceScanner.installed()
 *         .withCaCert(registry.caCertPath())
 *         .scanMeasured(registry.hostPort() + "/app:1.0", Map.of("username", "u", "password", "p"));
 * }</pre>
 */
public final class ReferenceScanner {

    public static final String VERSION = "9.20.2";
    public static final String DIR_ENV = "CR_AGENT_REFERENCE_DIR";
    public static final String INSTALL_SCRIPT = "scripts/install-reference-scanner.sh";
    public static final String RUNNER = "run-snyk-docker-plugin.js";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final Pattern ELAPSED = Pattern.compile(
            "Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\): (?:(\\d+):)?(\\d+):(\\d+(?:\\.\\d+)?)");
    private static final Path GNU_TIME = Path.of("/usr/bin/time");
    private static final Pattern SCAN_SECONDS = Pattern.compile("scan-seconds (\\d+) (\\d+(?:\\.\\d+)?(?:e-?\\d+)?)");

    private final Path directory;
    private final String version;
    private final Path node;
    private final Duration timeout;
    private final Path caCert;

    private ReferenceScanner(Path directory, String version, Path node, Duration timeout, Path caCert) {
        this.directory = directory;
        this.version = version;
        this.node = node;
        this.timeout = timeout;
        this.caCert = caCert;
    }

    /** Wall time and peak RSS of one whole node process (GNU {@code time -v} when present). */
    public record Measured(JsonNode response, Duration wall, long peakRssKb, String stderr) {
        /** Peak RSS in MB (1000 kB), or -1 when GNU time was not available. */
        public double peakRssMb() {
            return peakRssKb < 0 ? -1 : peakRssKb / 1000.0;
        }

        /** The plugin's own phase timings ({@code analytics} containerPluginTimings), empty when absent. */
        public Map<String, Long> pluginTimingsMs() {
            return ScanResults.pluginTimingsMs(response);
        }
    }

    /** {@code $CR_AGENT_REFERENCE_DIR}, else {@code ~/.cache/cr-agent/snyk-docker-plugin-9.20.2}. */
    public static Path directory() {
        String env = System.getenv(DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "cr-agent", "snyk-docker-plugin-" + VERSION);
    }

    /**
     * The installed reference; throws {@link IllegalStateException} naming {@value #INSTALL_SCRIPT} when the
     * scratch project, the package at version {@value #VERSION}, the runner or node is missing.
     */
    public static ReferenceScanner installed() {
        return installedAt(directory());
    }

    /** As {@link #installed()}, for a scratch project in {@code dir}. */
    public static ReferenceScanner installedAt(Path dir) {
        String hint = " — run " + INSTALL_SCRIPT + " (installs snyk-docker-plugin " + VERSION + " into " + dir
                + "; set " + DIR_ENV + " to use another directory)";
        Path packageJson = dir.resolve("node_modules/snyk-docker-plugin/package.json");
        if (!Files.isRegularFile(packageJson)) {
            throw new IllegalStateException("reference scanner not installed: " + packageJson + " is missing" + hint);
        }
        String found;
        try {
            found = JSON.readTree(packageJson.toFile()).path("version").asText();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + packageJson + hint, e);
        }
        if (!VERSION.equals(found)) {
            throw new IllegalStateException("reference scanner is snyk-docker-plugin " + found + ", expected "
                    + VERSION + hint);
        }
        if (!Files.isRegularFile(dir.resolve(RUNNER))) {
            throw new IllegalStateException("reference runner " + dir.resolve(RUNNER) + " is missing" + hint);
        }
        Path node = findOnPath("node");
        if (node == null) {
            throw new IllegalStateException("node is not on PATH (" + System.getenv("PATH") + ")" + hint);
        }
        return new ReferenceScanner(dir, found, node, DEFAULT_TIMEOUT, null);
    }

    public Path installDirectory() {
        return directory;
    }

    public String version() {
        return version;
    }

    /** Same scanner with another per-scan timeout (default 5 minutes). */
    public ReferenceScanner withTimeout(Duration newTimeout) {
        return new ReferenceScanner(directory, version, node, Objects.requireNonNull(newTimeout), caCert);
    }

    /** Same scanner trusting this extra CA (PEM) through {@code NODE_EXTRA_CA_CERTS}; null removes it. */
    public ReferenceScanner withCaCert(Path caPem) {
        return new ReferenceScanner(directory, version, node, timeout, caPem == null ? null : caPem.toAbsolutePath());
    }

    /** {@code scan({path: target})}. */
    public JsonNode scan(String target) {
        return scan(target, Map.of());
    }

    /**
     * {@code scan({path: target, ...options})}; returns the PluginResponse ({@code scanResults}, {@code analytics}).
     * Targets: {@code docker-archive:<file>}, {@code oci-archive:<file>}, a bare {@code .tar} path, or a registry
     * reference {@code host:port/repo:tag} (HTTPS only) with options such as {@code username}, {@code password},
     * {@code platform}, {@code imageSavePath}. Other plugin options keep their CLI spelling, e.g.
     * {@code "exclude-app-vulns"}, {@code "nested-jars-depth"}, {@code "include-system-jars"},
     * {@code "exclude-node-modules"}; flags are true when {@code String(value).toLowerCase() === "true"}.
     * Throws with node's stderr when the scan fails or times out.
     */
    public JsonNode scan(String target, Map<String, Object> options) {
        return run(target, options, false, 1).response();
    }

    /** As {@link #scan(String, Map)}, measuring wall time and peak RSS of the node process. */
    public Measured scanMeasured(String target, Map<String, Object> options) {
        return run(target, options, true, 1);
    }

    /**
     * What a long-running service pays per scan: {@code runs} scans in one node process; the fastest after the
     * first (which loads and compiles the code), in seconds.
     */
    public double warmScanSeconds(String target, Map<String, Object> options, int runs) {
        Matcher times = SCAN_SECONDS.matcher(run(target, options, false, Math.max(2, runs)).stderr());
        double best = Double.MAX_VALUE;
        while (times.find()) {
            if (!times.group(1).equals("0")) {
                best = Math.min(best, Double.parseDouble(times.group(2)));
            }
        }
        if (best == Double.MAX_VALUE) {
            throw new IllegalStateException("the runner reported no scan times: is " + RUNNER + " up to date? run "
                    + INSTALL_SCRIPT);
        }
        return best;
    }

    private Measured run(String target, Map<String, Object> options, boolean measure, int repeat) {
        Path work;
        try {
            work = Files.createTempDirectory("cr-agent-reference-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory", e);
        }
        try {
            Map<String, Object> effective = new LinkedHashMap<>(options);
            effective.putIfAbsent("imageSavePath", work.resolve("image-save").toString());
            Path out = work.resolve("plugin-response.json");
            Path timeReport = work.resolve("time.txt");
            boolean gnuTime = measure && Files.isExecutable(GNU_TIME);

            Path privateBin = work.resolve("bin");
            Map<String, String> env = new LinkedHashMap<>();
            Files.createDirectories(privateBin);
            Files.createSymbolicLink(privateBin.resolve("node"), node);
            env.put("PATH", dockerFreePath(System.getenv("PATH"), privateBin));
            env.put(DIR_ENV, directory.toString());
            if (caCert != null) {
                env.put("NODE_EXTRA_CA_CERTS", caCert.toString());
            }
            env.put("CR_AGENT_REFERENCE_REPEAT", String.valueOf(repeat));

            // Absolute node path: ProcessBuilder would resolve a bare name through the JVM's own PATH.
            List<String> command = new ArrayList<>();
            if (gnuTime) {
                command.addAll(List.of(GNU_TIME.toString(), "-v", "-o", timeReport.toString()));
            }
            command.addAll(List.of(privateBin.resolve("node").toString(), directory.resolve(RUNNER).toString(),
                    target, out.toString(), JSON.writeValueAsString(effective)));

            long start = System.nanoTime();
            Processes.Result result = Processes.run(timeout, command, env, work);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (!result.ok() || !Files.isRegularFile(out)) {
                throw new IllegalStateException("reference scan of " + target + " failed with exit code "
                        + result.exitCode() + " (options " + redacted(effective) + ")\nstderr:\n" + result.stderr()
                        + (result.stdout().length > 0 ? "\nstdout:\n" + result.stdoutText() : ""));
            }
            JsonNode response = JSON.readTree(out.toFile());
            long rss = -1;
            Duration wall = elapsed;
            if (gnuTime && Files.isRegularFile(timeReport)) {
                String report = Files.readString(timeReport, StandardCharsets.UTF_8);
                Matcher rssMatch = MAX_RSS.matcher(report);
                if (rssMatch.find()) {
                    rss = Long.parseLong(rssMatch.group(1));
                }
                Matcher wallMatch = ELAPSED.matcher(report);
                if (wallMatch.find()) {
                    double seconds = (wallMatch.group(1) == null ? 0 : Long.parseLong(wallMatch.group(1)) * 3600)
                            + Long.parseLong(wallMatch.group(2)) * 60 + Double.parseDouble(wallMatch.group(3));
                    wall = Duration.ofMillis(Math.round(seconds * 1000));
                }
            }
            return new Measured(response, wall, rss, result.stderr());
        } catch (IOException e) {
            throw new UncheckedIOException("reference scan of " + target + " failed", e);
        } finally {
            deleteTree(work);
        }
    }

    /**
     * A PATH without any {@code docker} executable: {@code privateBin} first (it holds only a {@code node} symlink),
     * then every entry of {@code currentPath} that has no {@code docker} (scanning.md §12 point 4).
     */
    static String dockerFreePath(String currentPath, Path privateBin) {
        List<String> entries = new ArrayList<>();
        entries.add(privateBin.toString());
        if (currentPath != null) {
            for (String entry : currentPath.split(File.pathSeparator)) {
                if (!entry.isEmpty() && !Files.exists(Path.of(entry, "docker")) && !entries.contains(entry)) {
                    entries.add(entry);
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                try {
                    return candidate.toRealPath();
                } catch (IOException e) {
                    return candidate.toAbsolutePath();
                }
            }
        }
        return null;
    }

    private static String redacted(Map<String, Object> options) {
        Map<String, Object> copy = new LinkedHashMap<>(options);
        copy.computeIfPresent("password", (k, v) -> "***");
        return copy.toString();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover scratch file in /tmp is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
