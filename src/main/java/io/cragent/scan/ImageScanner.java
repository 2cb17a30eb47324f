package io.cragent.scan;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.apps.AppAnalyzers;
import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.layers.ByteLimit;
import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.FileSummarizer;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.LayerCache;
import io.cragent.scan.layers.LayerContents;
import io.cragent.scan.layers.LayerReader;
import io.cragent.scan.layers.ReadAheadInputStream;
import io.cragent.scan.layers.ScanLimitException;
import io.cragent.scan.os.OsPackages;
import io.cragent.scan.os.OsRelease;
import io.cragent.scan.os.OsReleaseDetector;
import io.cragent.scan.output.SnykResponse;
import io.cragent.scan.source.ImageDescription;
import io.cragent.scan.source.ImageSource;
import io.cragent.scan.source.Layer;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scans one image: streams every layer once through the matchers (in parallel), merges them, finds the OS and its
 * packages, and writes snyk-docker-plugin's response. No layer touches the disk.
 */
public final class ImageScanner {
    /** Download and digest check run this far ahead of decompression, per layer being read: 2 MiB. */
    private static final int READ_AHEAD_CHUNK = 256 * 1024;
    private static final int READ_AHEAD_CHUNKS = 8;

    private final ScanSettings settings;
    private final OsPackages osPackages;
    private final List<AppAnalyzer> appAnalyzers;
    /** Every analyzer's matcher and summarizers, assembled once; it holds no state between layers. */
    private final LayerReader layerReader;
    /** What the layer reader made of each layer, by digest; for this reader's setup only. */
    private final LayerCache layerCache;

    public ImageScanner(ScanSettings settings) {
        this(settings, AppAnalyzers.defaults());
    }

    /** The default OS analysis with these application analyzers. */
    public ImageScanner(ScanSettings settings, List<AppAnalyzer> appAnalyzers) {
        this(settings, OsPackages.defaults(), appAnalyzers);
    }

    public ImageScanner(ScanSettings settings, OsPackages osPackages, List<AppAnalyzer> appAnalyzers) {
        this(settings, osPackages, appAnalyzers, LayerCache.disabled());
    }

    /** {@code layerCache} must be this scanner's own: what it holds depends on the analyzers. */
    public ImageScanner(ScanSettings settings, OsPackages osPackages, List<AppAnalyzer> appAnalyzers,
                        LayerCache layerCache) {
        this.settings = settings;
        this.layerCache = layerCache;
        this.osPackages = osPackages;
        this.appAnalyzers = List.copyOf(appAnalyzers);
        List<FileMatcher> matchers = new ArrayList<>(List.of(osPackages.matcher()));
        List<FileSummarizer> summarizers = new ArrayList<>();
        for (AppAnalyzer analyzer : this.appAnalyzers) {
            matchers.add(analyzer.matcher());
            summarizers.addAll(analyzer.summarizers());
        }
        this.layerReader = new LayerReader(FileMatcher.anyOf(matchers), summarizers, settings.uncompressedCap());
    }

    public ScanReport scan(ImageSource source) throws IOException {
        long start = System.nanoTime();
        ImageDescription image = source.describe();
        if (image.compressedSize() > settings.maxImageSize()) {
            throw new AgentException(ErrorCode.IMAGE_TOO_LARGE, "the image has " + image.compressedSize()
                    + " bytes, over the limit of " + settings.maxImageSize());
        }
        AtomicLong streamed = new AtomicLong();
        List<LayerContents> layers = readLayers(source, image.layers(), streamed);
        ImageFiles files = ImageFiles.merge(layers);
        List<String> warnings = new ArrayList<>(image.warnings());
        warnings.addAll(files.warnings());
        OsRelease os = OsReleaseDetector.detect(files, warnings);
        OsPackages.Result packages = osPackages.analyze(files, os, warnings);
        List<AppResult> apps = new ArrayList<>();
        List<Fact> osFacts = new ArrayList<>();
        AppContext context = new AppContext(imageName(image), warnings);
        for (AppAnalyzer analyzer : appAnalyzers) {
            AppFindings findings = analyzer.analyze(files, context);
            apps.addAll(findings.results());
            osFacts.addAll(findings.osFacts());
        }
        var response = SnykResponse.build(image, os, packages, osFacts, apps, warnings, settings.pluginVersion());
        return new ScanReport(image, os, packages, apps, response, warnings, streamed.get(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private List<LayerContents> readLayers(ImageSource source, List<Layer> layers, AtomicLong streamed) throws IOException {
        int threads = Math.max(1, Math.min(settings.parallelism(), layers.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "layer-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<LayerContents>> futures = new ArrayList<>();
            for (Layer layer : layers) {
                futures.add(pool.submit(() -> readLayer(source, layer, streamed)));
            }
            List<LayerContents> contents = new ArrayList<>();
            for (Future<LayerContents> future : futures) {
                contents.add(future.get());
            }
            return contents;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading layers", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AgentException agent) {
                throw agent;
            }
            if (cause instanceof ScanLimitException limit) {
                throw new AgentException(ErrorCode.IMAGE_TOO_LARGE, limit.getMessage(), limit);
            }
            if (cause != null && cause.getClass().getSimpleName().equals("IntegrityException")) {
                throw new AgentException(ErrorCode.INTEGRITY_ERROR, cause.getMessage(), cause);
            }
            throw cause instanceof IOException io ? io : new IOException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String imageName(ImageDescription image) {
        String name = image.rootName().replaceFirst("^docker-image\\|", "");
        return image.rootVersion().isEmpty() ? name : name + ":" + image.rootVersion();
    }

    private LayerContents readLayer(ImageSource source, Layer layer, AtomicLong streamed) throws IOException {
        // Only a digest checked while streaming names what was read.
        String digest = source.checksLayerDigests() ? layer.digest() : null;
        return layerCache.get(digest, () -> streamLayer(source, layer, streamed));
    }

    private LayerContents streamLayer(ImageSource source, Layer layer, AtomicLong streamed) throws IOException {
        InputStream fetched = new ReadAheadInputStream(source.openLayer(layer), READ_AHEAD_CHUNK, READ_AHEAD_CHUNKS);
        try (InputStream in = new ByteLimit(fetched, streamed, settings.maxImageSize(),
                "the image streamed more than " + settings.maxImageSize() + " bytes")) {
            return layerReader.read(in);
        }
    }
}
