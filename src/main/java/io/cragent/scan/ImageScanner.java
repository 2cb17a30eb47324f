package io.cragent.scan;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.scan.layers.ByteLimit;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.LayerContents;
import io.cragent.scan.layers.LayerReader;
import io.cragent.scan.layers.ScanLimitException;
import io.cragent.scan.os.ApkAnalyzer;
import io.cragent.scan.os.DpkgAnalyzer;
import io.cragent.scan.os.OsPackages;
import io.cragent.scan.os.OsRelease;
import io.cragent.scan.os.OsReleaseDetector;
import io.cragent.scan.os.RpmAnalyzer;
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
    private final ScanSettings settings;
    private final OsPackages osPackages;

    public ImageScanner(ScanSettings settings) {
        this(settings, new OsPackages(List.of(new ApkAnalyzer(), DpkgAnalyzer.status(), RpmAnalyzer.berkeleyDbAndNdb(),
                RpmAnalyzer.sqlite(), DpkgAnalyzer.statusD())));
    }

    public ImageScanner(ScanSettings settings, OsPackages osPackages) {
        this.settings = settings;
        this.osPackages = osPackages;
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
        var response = SnykResponse.build(image, os, packages, warnings, settings.pluginVersion());
        return new ScanReport(image, os, packages, response, warnings, streamed.get(),
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

    private LayerContents readLayer(ImageSource source, Layer layer, AtomicLong streamed) throws IOException {
        LayerReader reader = new LayerReader(osPackages.matcher(), settings.uncompressedCap());
        try (InputStream in = new ByteLimit(source.openLayer(layer), streamed, settings.maxImageSize(),
                "the image streamed more than " + settings.maxImageSize() + " bytes")) {
            return reader.read(in);
        }
    }
}
