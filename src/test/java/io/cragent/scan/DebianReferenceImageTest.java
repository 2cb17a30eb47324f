package io.cragent.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.debian.DebianTestImage;
import io.cragent.scan.source.ArchiveSource;
import io.cragent.testsupport.ReferenceScanner;
import io.cragent.testsupport.ScanResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Debian 12 reference test image of scanning.md §10 (built by {@code scripts/build-debian-test-image.sh}),
 * scanned as an oci-archive by our scanner and by snyk-docker-plugin 9.20.2. Results must be equal per target
 * except for the documented differences of §9, which are asserted explicitly:
 * <ul>
 *   <li>#1 opaque whiteout: our {@code /usr/local/lib/node_modules} holds only the re-added lodash@4.17.21;</li>
 *   <li>#2 {@code .wh.} anywhere in the path: we keep {@code wheel} (in our extra site-packages result);</li>
 *   <li>#4 hardlinks: we report the hardlinked jar copy in {@code /opt/app/extra};</li>
 *   <li>#6 the extra pip result for the site-packages directory (§6.1).</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebianReferenceImageTest {
    private static final String GLOBAL_NPM = "npm:/usr/local/lib/node_modules";
    private static final String SITE_PACKAGES = "pip:/usr/local/lib/python3.11/site-packages";
    private static final String EXTRA = "maven:/opt/app/extra";

    private JsonNode ours;
    private JsonNode theirs;
    private Map<String, Set<String>> our;
    private Map<String, Set<String>> their;

    @BeforeAll
    void buildAndScan(@TempDir Path out) throws Exception {
        long t0 = System.nanoTime();
        Path archive = DebianTestImage.build(out);
        long t1 = System.nanoTime();
        try (ArchiveSource source = new ArchiveSource(archive, Platform.LINUX_AMD64, true)) {
            ours = new ImageScanner(ScanSettings.defaults()).scan(source).pluginResponse();
        }
        long t2 = System.nanoTime();
        theirs = ReferenceScanner.installed().scan("oci-archive:" + archive, Map.of());
        long t3 = System.nanoTime();
        our = ScanResults.packagesByTarget(ours);
        their = ScanResults.packagesByTarget(theirs);
        System.out.printf("[DebianReferenceImageTest] build %.1fs, ours %.1fs, reference %.1fs%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        System.out.println("[DebianReferenceImageTest] ours:      " + ScanResults.summary(ours));
        System.out.println("[DebianReferenceImageTest] reference: " + ScanResults.summary(theirs));
    }

    @Test
    void debResultIsTheSame() {
        assertThat(our.get("deb:os")).hasSize(92).isEqualTo(their.get("deb:os"));
        assertThat(ScanResults.os(ours)).isEqualTo("debian:12").isEqualTo(ScanResults.os(theirs));
        assertThat(our.get("deb:os")).as("the 5 installed packages")
                .anyMatch(id -> id.contains("libssl3@")).anyMatch(id -> id.startsWith("openssl@"))
                .anyMatch(id -> id.contains("libonig5@")).anyMatch(id -> id.contains("libjq1@"))
                .anyMatch(id -> id.startsWith("jq@"));
    }

    @Test
    void removedFilesAreAbsent() {
        assertThat(our.get("deb:os")).as("purged tzdata").noneMatch(id -> id.matches("(.*/)?tzdata@.*"));
        our.forEach((target, ids) -> assertThat(ids).as(target + ": whited-out jar")
                .noneMatch(id -> id.startsWith("/opt/app/lib/commons-lang3-3.12.0.jar")));
        assertThat(our.get("maven:/opt/app/lib")).hasSize(1)
                .allMatch(id -> id.startsWith("/opt/app/lib/log4j-core-2.14.1.jar|"));
    }

    @Test
    void applicationResultsMatchExceptTheDocumentedDifferences() {
        // the targets of §10
        assertThat(their.keySet()).contains("deb:os", "npm:/app/package.json", GLOBAL_NPM, "pip:/app/requirements.txt",
                "maven:/opt/app/lib", "maven:/opt/app", EXTRA).doesNotContain(SITE_PACKAGES);
        assertThat(our.get("npm:/app/package.json"))
                .containsExactlyInAnyOrder("which@2.0.2", "isexe@2.0.0", "ms@2.1.3", "lodash@4.17.20");
        assertThat(our.get("pip:/app/requirements.txt")).containsExactlyInAnyOrder("requests@2.31.0", "urllib3@1.26.5");
        assertThat(our.get("maven:/opt/app")).containsExactlyInAnyOrder(
                "/opt/app/demo-app-1.0.0.jar|com.example:demo-app@1.0.0",
                "/opt/app/demo-app-1.0.0.jar/BOOT-INF/lib/log4j-api-2.14.1.jar|org.apache.logging.log4j:log4j-api@2.14.1");

        // §9 #1: the opaque whiteout hides semver, lru-cache, yallist and the layer-2 lodash from us, not from snyk
        assertThat(their.get(GLOBAL_NPM))
                .containsExactlyInAnyOrder("lodash@4.17.21", "semver@7.5.1", "lru-cache@6.0.0", "yallist@4.0.0");
        assertThat(our.get(GLOBAL_NPM)).containsExactly("lodash@4.17.21");
        // §9 #2 and #6: our extra site-packages result keeps wheel, which snyk's ".wh." regex drops
        assertThat(our.get(SITE_PACKAGES))
                .containsExactlyInAnyOrder("requests@2.31.0", "urllib3@1.26.5", "wheel@0.38.4");
        // §9 #4: we report the hardlinked copy, snyk ignores hardlinks
        assertThat(their.get(EXTRA)).hasSize(1)
                .allMatch(id -> id.startsWith("/opt/app/extra/commons-lang3-3.12.0.jar|"));
        assertThat(our.get(EXTRA)).hasSize(2).containsAll(their.get(EXTRA))
                .anyMatch(id -> id.startsWith("/opt/app/extra/commons-lang3-hardlink-3.12.0.jar|"
                        + "org.apache.commons:commons-lang3@3.12.0"));

        // everything else is equal: ours = reference with exactly the differences above
        Map<String, Set<String>> expected = new LinkedHashMap<>(their);
        expected.put(GLOBAL_NPM, Set.of("lodash@4.17.21"));
        expected.put(SITE_PACKAGES, Set.of("requests@2.31.0", "urllib3@1.26.5", "wheel@0.38.4"));
        Set<String> extra = new TreeSet<>(their.get(EXTRA));
        extra.addAll(our.get(EXTRA).stream().filter(id -> id.contains("commons-lang3-hardlink-")).toList());
        expected.put(EXTRA, extra);
        assertThat(new TreeSet<>(our.keySet())).isEqualTo(new TreeSet<>(expected.keySet()));
        expected.forEach((target, ids) -> assertThat(our.get(target)).as(target).isEqualTo(new TreeSet<>(ids)));
    }
}
