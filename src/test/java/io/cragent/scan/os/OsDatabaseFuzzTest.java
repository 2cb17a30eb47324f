package io.cragent.scan.os;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cragent.scan.layers.ImageFiles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing (Jazzer) of the dpkg and apk databases, read as the scanner reads them: a one-layer image
 * through the real layer reader, then the analyzer. Any exception, a stack overflow, an out-of-memory or a hang is a
 * finding: these parsers skip what they cannot read. By default (CI) the seeds and past findings in
 * {@code src/test/resources/io/cragent/scan/os/OsDatabaseFuzzTestInputs/<method>} are replayed; with
 * {@code JAZZER_FUZZ=1} one method at a time is fuzzed for its {@code maxDuration}.
 */
class OsDatabaseFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void dpkgStatus(byte[] status) throws IOException {
        analyze(DpkgAnalyzer.status(), Map.of("var/lib/dpkg/status", status));
    }

    @FuzzTest(maxDuration = "10s")
    void dpkgStatusD(byte[] stanzas) throws IOException {
        analyze(DpkgAnalyzer.statusD(), Map.of("var/lib/dpkg/status.d/pkg", stanzas,
                "var/lib/dpkg/status.d/pkg.md5sums", new byte[0]));
    }

    @FuzzTest(maxDuration = "10s")
    void apkInstalled(byte[] installed) throws IOException {
        analyze(new ApkAnalyzer(), Map.of("lib/apk/db/installed", installed));
    }

    private static void analyze(OsPackageAnalyzer analyzer, Map<String, byte[]> files) throws IOException {
        ImageFiles image = OsDatabasesTest.image(files);
        List<String> warnings = new ArrayList<>();
        for (OsPackage p : analyzer.analyze(image, OsReleaseDetector.detect(image, warnings), warnings)) {
            assertThat(p.name()).isNotBlank();
            assertThat(p.version()).isNotBlank();
        }
    }
}
