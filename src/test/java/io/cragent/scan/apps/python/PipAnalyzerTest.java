package io.cragent.scan.apps.python;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.ScanReport;
import io.cragent.testsupport.ScanResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.cragent.scan.apps.python.AppImages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** pip against snyk-docker-plugin 9.20.2 on one image holding every case. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipAnalyzerTest {
    private static final String SITE = "usr/local/lib/python3.11/site-packages/";
    private static final String VENV = "opt/venv/lib/python3.11/site-packages/";
    private static final String OS_DIST = "usr/lib/python3/dist-packages/";

    private JsonNode theirs;
    private ScanReport ours;

    static String metadata(String name, String version, String... lines) {
        StringBuilder text = new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.append("\nLong description.\n").toString();
    }

    static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("app/requirements.txt", utf8("""
                # web client
                requests[socks]==2.31.0  # pinned
                -r other.txt
                --index-url https://pypi.example/simple

                urllib3==1.26.5
                Typing_Extensions>=4
                wheel
                six
                calver
                git+https://github.com/example/thing.git
                notinstalled==1.0
                """));
        files.put("srv/requirements.txt", utf8("# nothing but comments\n\n"));
        files.put("srv/other/requirements.txt", utf8("missing-one\nmissing-two>=2\n"));
        files.put(SITE + "requests-2.31.0.dist-info/METADATA", utf8(metadata("requests", "2.31.0",
                "Requires-Python: >=3.7",
                "Requires-Dist: charset-normalizer (<4,>=2)",
                "Requires-Dist: idna (<4,>=2.5)",
                "Requires-Dist: urllib3 (<3,>=1.21.1)",
                "Requires-Dist: certifi (>=2017.4.17)",
                "Requires-Dist: PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'",
                "Requires-Dist: chardet (<6,>=3.0.2) ; extra == 'use_chardet_on_py3'",
                "Provides-Extra: socks",
                "Provides-Extra: use_chardet_on_py3")));
        files.put(SITE + "urllib3-1.26.5.dist-info/METADATA", utf8(metadata("urllib3", "1.26.5",
                "Requires-Dist: brotli (>=1.0.9) ; extra == 'brotli'", "Provides-Extra: brotli")));
        files.put(SITE + "idna-3.4.dist-info/METADATA", utf8(metadata("idna", "3.4")));
        files.put(SITE + "certifi-2023.7.22.dist-info/METADATA", utf8(metadata("certifi", "2023.7.22")));
        files.put(SITE + "charset_normalizer-3.2.0.dist-info/METADATA", utf8(metadata("charset-normalizer", "3.2")));
        files.put(SITE + "PySocks-1.7.1.dist-info/METADATA", utf8(metadata("PySocks", "1.7.1")));
        files.put(SITE + "chardet-5.2.0.dist-info/METADATA", utf8(metadata("chardet", "5.2.0")));
        files.put(SITE + "typing_extensions-4.7.1.dist-info/METADATA", utf8(metadata("typing_extensions", "4.7.1",
                "Requires-Dist: importlib-metadata ; python_version < \"3.8\"")));
        files.put(SITE + "importlib_metadata-6.8.0.dist-info/METADATA", utf8(metadata("importlib-metadata", "6.8.0rc1")));
        files.put(SITE + "wheel-0.38.4.dist-info/METADATA", utf8(metadata("wheel", "0.38.4")));
        // 2023.07.1 has a leading zero: node-semver cannot coerce it, so the reference drops the distribution.
        files.put(SITE + "calver-2023.07.1.dist-info/METADATA", utf8(metadata("calver", "2023.07.1")));
        files.put(SITE + "garbage-1.0.dist-info/METADATA", new byte[]{0, (byte) 0xff, 'x', '\n', 0x1b});
        files.put(VENV + "urllib3-2.0.4.dist-info/METADATA", utf8(metadata("urllib3", "2.0.4")));
        files.put(VENV + "six-1.15.0.dist-info/METADATA", utf8(metadata("six", "1.15.0")));
        files.put(OS_DIST + "six-1.16.0.dist-info/METADATA", utf8(metadata("six", "1.16.0")));
        return files;
    }

    @BeforeAll
    void scanBoth(@TempDir Path dir) {
        Path archive = AppImages.archive(dir, "pip", files());
        theirs = AppImages.reference(archive);
        ours = AppImages.ours(archive, List.of(new PipAnalyzer()));
    }

    @Test
    void requirementsResultsEqualTheReferenceExceptWheel() {
        Map<String, Set<String>> want = AppImages.packages(theirs, k -> k.startsWith("pip:"));
        Map<String, Set<String>> got = AppImages.packages(ours.pluginResponse(), k -> k.endsWith("requirements.txt"));
        assertThat(want.keySet()).containsExactly("pip:/app/requirements.txt", "pip:/srv/other/requirements.txt");
        assertThat(got.keySet()).isEqualTo(want.keySet());
        assertThat(got.get("pip:/srv/other/requirements.txt")).isEmpty();

        Set<String> app = new TreeSet<>(want.get("pip:/app/requirements.txt"));
        assertThat(app).contains("requests@2.31.0", "pysocks@1.7.1", "urllib3@2.0.4", "urllib3@1.26.5",
                "charset-normalizer@3.2.0", "typing_extensions@4.7.1", "importlib-metadata@6.8.0", "six@1.16.0")
                .doesNotContain("chardet@5.2.0", "calver@2023.07.1");
        // §9 row 2: the reference takes "/wheel-" for a whiteout and never sees wheel's METADATA; we do.
        assertThat(app).doesNotContain("wheel@0.38.4");
        app.add("wheel@0.38.4");
        assertThat(got.get("pip:/app/requirements.txt")).isEqualTo(app);
    }

    @Test
    void rootsAndFactsMatchTheReference() {
        JsonNode mine = ScanResults.result(ours.pluginResponse(), "pip:/app/requirements.txt");
        JsonNode ref = ScanResults.result(theirs, "pip:/app/requirements.txt");
        assertThat(ScanResults.rootPkgId(ScanResults.fact(mine, "depGraph")))
                .isEqualTo(ScanResults.rootPkgId(ScanResults.fact(ref, "depGraph")))
                .isEqualTo("/app/requirements.txt@");
        assertThat(ScanResults.fact(mine, "depGraph").path("pkgManager").path("name").asText()).isEqualTo("pip");
        assertThat(ScanResults.factTypes(ours.pluginResponse()).get("pip:/app/requirements.txt"))
                .startsWith("depGraph", "imageId").doesNotContain("testedFiles");
        assertThat(ScanResults.factTypes(theirs).get("pip:/app/requirements.txt")).startsWith("depGraph", "imageId");
    }

    @Test
    void extraResultPerPackagesDirectory() {
        Map<String, Set<String>> extra = AppImages.packages(ours.pluginResponse(), k -> k.startsWith("pip:") && !k.endsWith(".txt"));
        assertThat(extra.keySet()).containsExactly("pip:/opt/venv/lib/python3.11/site-packages",
                "pip:/usr/local/lib/python3.11/site-packages");
        assertThat(extra.get("pip:/opt/venv/lib/python3.11/site-packages")).containsExactly("six@1.15.0", "urllib3@2.0.4");
        assertThat(extra.get("pip:/usr/local/lib/python3.11/site-packages")).containsExactlyInAnyOrder(
                "requests@2.31.0", "urllib3@1.26.5", "idna@3.4.0", "certifi@2023.7.22", "charset-normalizer@3.2.0",
                "pysocks@1.7.1", "chardet@5.2.0", "typing_extensions@4.7.1", "importlib-metadata@6.8.0",
                "wheel@0.38.4");
        JsonNode graph = ScanResults.fact(ScanResults.result(ours.pluginResponse(),
                "pip:/usr/local/lib/python3.11/site-packages"), "depGraph");
        assertThat(ScanResults.rootPkgId(graph)).isEqualTo("/usr/local/lib/python3.11/site-packages@");
        assertThat(depsOf(graph, "requests@2.31.0")).containsExactlyInAnyOrder("charset-normalizer@3.2.0",
                "idna@3.4.0", "urllib3@1.26.5", "certifi@2023.7.22");
    }

    @Test
    void unreadableMetadataAndMissingRequirementsAreWarnings() {
        assertThat(ours.warnings()).anySatisfy(w -> assertThat(w).contains("calver-2023.07.1.dist-info/METADATA"))
                .anySatisfy(w -> assertThat(w).contains("garbage-1.0.dist-info/METADATA"))
                .anySatisfy(w -> assertThat(w).contains("/app/requirements.txt").contains("notinstalled"));
    }

    static Set<String> depsOf(JsonNode graph, String nodeId) {
        Set<String> deps = new TreeSet<>();
        for (JsonNode node : graph.path("graph").path("nodes")) {
            if (node.path("nodeId").asText().equals(nodeId)) {
                node.path("deps").forEach(d -> deps.add(d.path("nodeId").asText()));
            }
        }
        return deps;
    }
}
