package io.cragent.bench;

import io.cragent.scan.apps.AppAnalyzers;
import io.cragent.scan.layers.LayerCache;
import io.cragent.scan.layers.LayerReader;
import io.cragent.scan.os.OsPackages;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.ReferenceScanner;
import io.cragent.testsupport.TestImages;

import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.registry.ImageReference;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistryEndpoint;
import io.cragent.registry.RegistrySettings;
import io.cragent.registry.http.HttpSettings;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.ImageScanner;
import io.cragent.scan.ScanSettings;
import io.cragent.scan.source.RegistrySource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scans the same images through the same registry (TLS, private CA, htpasswd) with cr-agent and with
 * snyk-docker-plugin 9.20.2, in one run, and prints wall time, peak RSS and their ratios; then times the scan
 * engine against {@code gzip -dc} on the same layer. Run it with {@code bash bench/scan-bench.sh}.
 */
public final class ScanBench {
    /** Scans per process for the warm figures, the same on both sides; the best after the first counts. */
    private static final int WARM_RUNS = 8;
    private static final Pattern RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");

    private record Measured(double seconds, double rssMb, String note) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "target/cr-agent.jar");
        int[] sizesMb = {60, 200};
        try (DistributionRegistry registry = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD)) {
            ReferenceScanner reference = ReferenceScanner.installed().withCaCert(registry.caCertPath())
                    .withTimeout(Duration.ofMinutes(10));
            List<String> rows = new ArrayList<>();
            for (int mb : sizesMb) {
                String repository = "bench/image-" + mb + "mb";
                long pushedBytes = push(registry, repository, mb);
                String image = registry.hostPort() + "/" + repository + ":1";
                Measured ours = ours(jar, registry, image);
                ReferenceScanner.Measured theirs = reference.scanMeasured(image,
                        Map.of("username", registry.username(), "password", registry.password()));
                double theirSeconds = theirs.wall().toMillis() / 1000.0;
                rows.add(String.format("| registry, %d MB compressed (%.0f MB pushed) | %.2f s | %.0f MB | %.2f s | %.0f MB | %.2f | %s |",
                        mb, pushedBytes / 1e6, ours.seconds(), ours.rssMb(), theirSeconds, theirs.peakRssMb(),
                        ours.seconds() / theirSeconds, ours.note()));
            }
            if (List.of(args).contains("--huge")) {
                rows.add(huge(jar, registry, reference));
            }
            Path debianLayout = null;
            if (List.of(args).contains("--debian")) {
                debianLayout = Files.createTempDirectory("debian-image");
                rows.add(debian(jar, registry, reference, debianLayout));
            }
            System.out.println();
            System.out.println("| image | cr-agent wall | cr-agent peak RSS (-Xmx192m) | snyk-docker-plugin wall | snyk peak RSS | wall ratio | cr-agent result |");
            System.out.println("|---|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
            System.out.println();
            engineVersusGzip(largestBlob(registry.dataDir()));
            if (debianLayout != null) {
                // Real binaries compress and inflate like real images: the fair test of the engine.
                for (Path blob : layerBlobs(debianLayout.resolve("oci"))) {
                    engineVersusGzip(blob);
                }
            }
        }
    }

    /** The Debian test image of scanning.md §10 (debootstrap + umoci; cached by its build script). */
    private static String debian(Path jar, DistributionRegistry registry, ReferenceScanner reference, Path out)
            throws Exception {
        Process build = new ProcessBuilder("bash", "scripts/build-debian-test-image.sh", out.toString()).inheritIO().start();
        if (!build.waitFor(20, TimeUnit.MINUTES) || build.exitValue() != 0) {
            throw new IllegalStateException("building the Debian test image failed");
        }
        io.cragent.testsupport.Skopeo.copyTo(registry, "oci-archive:" + out.resolve("debian-test-image.oci.tar"), "bench/debian:1");
        String image = registry.hostPort() + "/bench/debian:1";
        Measured ours = ours(jar, registry, image);
        ReferenceScanner.Measured theirs = reference.scanMeasured(image,
                Map.of("username", registry.username(), "password", registry.password()));
        double theirSeconds = theirs.wall().toMillis() / 1000.0;
        Map<String, Object> login = Map.of("username", registry.username(), "password", registry.password());
        double ourWarm = warmScanSeconds(registry, "bench/debian", "1", LayerCache.disabled());
        double theirWarm = reference.warmScanSeconds(image, login, WARM_RUNS);
        LayerCache kept = new LayerCache(32L << 20);
        double ourKept = warmScanSeconds(registry, "bench/debian", "1", kept);
        return String.format("| registry, Debian 12 test image (scanning.md §10), one process per scan | %.2f s | %.0f MB | %.2f s | %.0f MB | %.2f | %s |%n"
                        + "| same image, warm: a running service's scan (best after the first, same process) | %.2f s | — | %.2f s | — | %.2f | |%n"
                        + "| same, its layers in the agent's layer cache (an image on a kept base) | %.3f s | — | %.2f s | — | %.3f | %d layers, %d KB held |",
                ours.seconds(), ours.rssMb(), theirSeconds, theirs.peakRssMb(), ours.seconds() / theirSeconds, ours.note(),
                ourWarm, theirWarm, ourWarm / theirWarm, ourKept, theirWarm, ourKept / theirWarm, kept.size(),
                kept.heldBytes() / 1000);
    }

    /**
     * What the agent pays per scan through the registry: no JVM start, warm code, a client already made; with
     * {@code cache} enabled, every scan after the first finds the image's layers kept.
     */
    private static double warmScanSeconds(DistributionRegistry registry, String repository, String tag, LayerCache cache)
            throws Exception {
        RegistrySettings d = RegistrySettings.defaults();
        HttpSettings http = new HttpSettings(d.http().connectTimeout(), d.http().requestTimeout(), d.http().idleTimeout(),
                d.http().maxRetries(), d.http().backoffBase(), d.http().maxRetryAfter(), d.http().maxRedirects(),
                registry.caCertPath());
        RegistryClient client = new RegistryClients(new RegistrySettings(http, d.pageSize(), d.pageCap(), d.manifestCap(),
                d.configCap(), d.maxIndexDepth(), java.util.Set.of(), true, d.realmHosts())).forCredentials(
                RegistryCredentials.basic(RegistryType.DOCKER_HUB, registry.username(), registry.password(),
                        registry.hostPort()), RegistryEndpoint.PathMeaning.NAMESPACE);
        ImageScanner scanner = new ImageScanner(ScanSettings.defaults(), OsPackages.defaults(), AppAnalyzers.defaults(), cache);
        double best = Double.MAX_VALUE;
        for (int run = 0; run < WARM_RUNS; run++) {
            long start = System.nanoTime();
            try (RegistrySource source = new RegistrySource(client, new ImageReference(repository, tag, null),
                    Platform.LINUX_AMD64, registry.hostPort() + "/" + repository)) {
                scanner.scan(source);
            }
            if (run > 0) {
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
        }
        return best;
    }

    /** Gzip layer blobs of an OCI layout, largest first (the small JSON blobs are left out). */
    private static List<Path> layerBlobs(Path layout) throws IOException {
        try (Stream<Path> files = Files.walk(layout.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).filter(ScanBench::isGzip)
                    .sorted(Comparator.comparingLong((Path p) -> p.toFile().length()).reversed()).toList();
        }
    }

    private static boolean isGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b && file.toFile().length() > 1_000_000;
        } catch (IOException e) {
            return false;
        }
    }

    /** A 1.9 GB image, generated to disk and pushed with skopeo: the memory bound must hold at -Xmx192m. */
    private static String huge(Path jar, DistributionRegistry registry, ReferenceScanner reference) throws Exception {
        Path dir = Files.createTempDirectory("huge-image");
        try {
            byte[] status = TestImages.ubuntuDpkgStatus().getBytes(StandardCharsets.UTF_8);
            StreamedImage.write(dir, 1_900_000_000L, status); // under the default 2 GiB limit
            io.cragent.testsupport.Skopeo.copyTo(registry, "oci:" + dir + ":1", "bench/huge:1");
            String image = registry.hostPort() + "/bench/huge:1";
            Measured ours = ours(jar, registry, image);
            ReferenceScanner.Measured theirs = reference.scanMeasured(image,
                    Map.of("username", registry.username(), "password", registry.password()));
            double theirSeconds = theirs.wall().toMillis() / 1000.0;
            return String.format("| registry, 1.9 GB compressed | %.2f s | %.0f MB | %.2f s | %.0f MB | %.2f | %s |",
                    ours.seconds(), ours.rssMb(), theirSeconds, theirs.peakRssMb(), ours.seconds() / theirSeconds, ours.note());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * An image like a real one: a Debian package database and many files whose content compresses about 2:1
     * (half random, half text), in one layer of roughly {@code mb} compressed megabytes.
     */
    private static long push(DistributionRegistry registry, String repository, int mb) throws IOException {
        String status = TestImages.ubuntuDpkgStatus();
        TestImages.ImageSpec spec = TestImages.ImageSpec.of(TestImages.Platform.LINUX_AMD64)
                .withFile("etc/os-release", "ID=ubuntu\nVERSION_ID=\"10.04\"\n")
                .withFile("var/lib/dpkg/status", status);
        Random random = new Random(mb);
        byte[] text = "lorem ipsum dolor sit amet, consectetur adipiscing elit; ".repeat(5000).getBytes(StandardCharsets.UTF_8);
        int fileSize = 256 * 1024;
        int files = mb * 1024 * 1024 / (fileSize / 2);
        for (int i = 0; i < files; i++) {
            byte[] content = new byte[fileSize];
            random.nextBytes(content);
            System.arraycopy(text, 0, content, 0, fileSize / 2);
            spec = spec.withFile("opt/data/d" + (i % 50) + "/file-" + i + ".bin", content);
        }
        TestImages.PushedImage pushed = TestImages.pushImage(registry, repository, "1", TestImages.Format.OCI, spec);
        return pushed.layers().stream().mapToLong(TestImages.Layer::size).sum();
    }

    private static Measured ours(Path jar, DistributionRegistry registry, String image) throws Exception {
        Path out = Files.createTempFile("bench", ".json");
        Path err = Files.createTempFile("bench", ".err");
        try {
            List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-v",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m"));
            // SCAN_JAVA_OPTS: JVM options for our side, as an operator would give them (e.g. -XX:TieredStopAtLevel=1).
            String options = System.getenv().getOrDefault("SCAN_JAVA_OPTS", "");
            if (!options.isBlank()) {
                command.addAll(List.of(options.trim().split("\\s+")));
            }
            command.addAll(List.of("-jar", jar.toString(), "scan", image, "--ca-cert", registry.caCertPath().toString(),
                    "--username", registry.username(), "--password", registry.password(), "--output", out.toString()));
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("cr-agent scan failed:\n" + Files.readString(err));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String stderr = Files.readString(err);
            Matcher rss = RSS.matcher(stderr);
            String summary = stderr.lines().filter(l -> l.startsWith("scanned")).findFirst().orElse("");
            return new Measured(seconds, rss.find() ? Long.parseLong(rss.group(1)) / 1000.0 : -1,
                    summary.replaceFirst("^scanned \\d+ layers, ", ""));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The scan engine (decompress, walk the tar, keep matched files) against gzip -dc on the same layer. */
    private static void engineVersusGzip(Path blob) throws Exception {
        OsPackages os = OsPackages.defaults();
        double engine = Double.MAX_VALUE;
        double gzip = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(blob), 1 << 16)) {
                new LayerReader(os.matcher(), Long.MAX_VALUE).read(in);
            }
            engine = Math.min(engine, (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            Process p = new ProcessBuilder("sh", "-c", "gzip -dc '" + blob + "' > /dev/null").start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("gzip -dc failed");
            }
            gzip = Math.min(gzip, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("| layer of %.0f MB (gzip) | scan engine %.2f s | gzip -dc %.2f s | ratio %.2f |%n",
                Files.size(blob) / 1e6, engine, gzip, engine / gzip);
    }

    private static Path largestBlob(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(p -> p.getFileName().toString().equals("data") && p.toString().contains("/blobs/"))
                    .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
    }
}
