package io.cragent.scan.apps.python;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.ImageScanner;
import io.cragent.scan.ScanReport;
import io.cragent.scan.ScanSettings;
import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.source.ArchiveSource;
import io.cragent.testsupport.OciLayout;
import io.cragent.testsupport.Processes;
import io.cragent.testsupport.ReferenceScanner;
import io.cragent.testsupport.ScanResults;
import io.cragent.testsupport.TestImages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Test images for the application analyzers (python, php, dotnet, golang): a two-layer image (os-release, then the
 * given files) written as an OCI layout and turned by skopeo into a docker-archive both scanners read.
 */
public final class AppImages {
    private AppImages() {
    }

    /** {@code <dir>/<name>.tar} holding the files (paths without a leading slash) in its second layer. */
    public static Path archive(Path dir, String name, Map<String, byte[]> files) {
        TestImages.ImageSpec spec = TestImages.ImageSpec.of(TestImages.Platform.LINUX_AMD64);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            spec = spec.withFile(file.getKey(), file.getValue());
        }
        OciLayout layout = OciLayout.create(dir.resolve(name + "-layout"));
        layout.tag("image", TestImages.writeImage(layout, spec));
        Path archive = dir.resolve(name + ".tar");
        Processes.runChecked(Duration.ofSeconds(60), List.of("skopeo", "--insecure-policy", "copy", "-q",
                layout.reference("image"), "docker-archive:" + archive));
        return archive;
    }

    /** Our scan with only these application analyzers. */
    public static ScanReport ours(Path archive, List<AppAnalyzer> analyzers) {
        try (ArchiveSource source = new ArchiveSource(archive, Platform.parse("linux/amd64"), false)) {
            return new ImageScanner(ScanSettings.defaults(), analyzers).scan(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** snyk-docker-plugin 9.20.2 on the same archive. */
    public static JsonNode reference(Path archive) {
        return ReferenceScanner.installed().scan("docker-archive:" + archive, Map.of());
    }

    /** Package ids per {@code type:targetFile}, keeping only the results of one identity type. */
    public static Map<String, Set<String>> packages(JsonNode response, Predicate<String> key) {
        Map<String, Set<String>> out = new TreeMap<>();
        ScanResults.packagesByTarget(response).forEach((k, ids) -> {
            if (key.test(k)) {
                out.put(k, ids);
            }
        });
        return out;
    }

    public static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
