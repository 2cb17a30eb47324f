package io.cragent.scan.apps.java;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.ImageScanner;
import io.cragent.scan.ScanReport;
import io.cragent.scan.ScanSettings;
import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.source.ArchiveSource;
import io.cragent.testsupport.ReferenceScanner;
import io.cragent.testsupport.ScanResults;
import io.cragent.testsupport.SharedFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three Java analyzers against snyk-docker-plugin 9.20.2 on the same archives: maven results (targets,
 * fingerprints with their exact JSON, shaded dependencies, origin, path) and the OS facts {@code keyBinariesHashes}
 * and {@code baseRuntimes}. Where we differ on purpose (hard links, key binary names) the test says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaAnalyzersReferenceTest {
    private static final byte[] JAVA = "\u007fELF fake java launcher".getBytes();
    private static final byte[] NODE = "\u007fELF fake node".getBytes();
    private static final byte[] JAVA_SOURCE = "class Example {}\n".getBytes();

    private final ReferenceScanner reference = ReferenceScanner.installed();
    private JsonNode theirs;
    private ScanReport ours;

    private static List<AppAnalyzer> analyzers() {
        return List.of(new JarAnalyzer(), new KeyBinariesAnalyzer(), new JavaRuntimeAnalyzer());
    }

    private static ScanReport scan(Path archive) throws IOException {
        try (ArchiveSource source = new ArchiveSource(archive, Platform.parse("linux/amd64"), false)) {
            return new ImageScanner(ScanSettings.defaults(), analyzers()).scan(source);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "docker-save-java.tar, maven:/app=1 maven:/libs=2",
            "docker-save-java-uberjar.tar, maven:/=3",
    })
    void sharedArchivesMatchTheReference(String name, String expected) throws IOException {
        Path archive = SharedFixtures.archive(name);
        JsonNode reference = this.reference.scan("docker-archive:" + archive);
        JsonNode response = scan(archive).pluginResponse();
        assertThat(mavenSummary(response)).isEqualTo(expected).isEqualTo(mavenSummary(reference));
        assertSameMaven(reference, response, Set.of());
        assertThat(osFact(response, "keyBinariesHashes")).isNull();
        assertThat(osFact(reference, "keyBinariesHashes")).isNull();
        assertThat(osFact(response, "baseRuntimes")).isNull();
    }

    @BeforeAll
    void scanBuiltImage(@TempDir Path dir) throws IOException {
        byte[] lang3 = TestJars.jar().pom("org.apache.commons", "commons-lang3", "3.12.0")
                .deflated("org/apache/commons/lang3/StringUtils.class", "bytecode").build();
        byte[] guava = TestJars.jar().pom("com.google.guava", "guava", "31.1-jre")
                .deflated("com/google/common/base/Strings.class", "bytecode").build();
        byte[] deep = TestJars.jar().pom("g", "deep", "1.0").build();
        byte[] innerFat = TestJars.jar().stored("lib/deep-1.0.jar", deep).build();
        byte[] fat = TestJars.jar().deflated("META-INF/MANIFEST.MF", "Main-Class: org.springframework.boot.loader.JarLauncher\n")
                .pom("com.example", "app", "1.0")
                .pom("org.slf4j", "slf4j-api", "2.0.9")
                .stored("BOOT-INF/lib/guava-31.1-jre.jar", guava)
                .stored("BOOT-INF/lib/internal.jar", TestJars.jar().deflated("x/Y.class", "bytecode").build())
                .stored("BOOT-INF/lib/inner-fat.jar", innerFat).build();
        byte[] war = TestJars.jar().deflated("WEB-INF/web.xml", "<web-app/>")
                .stored("WEB-INF/lib/helper-2.0.jar", TestJars.jar().pom("org.example", "helper", "2.0").build()).build();
        byte[] client = TestJars.jar().pom("org.example", "client", "1.0").deflated("c/C.class", "bytecode").build();
        byte[] broken = new byte[3000];
        new Random(11).nextBytes(broken);

        JavaTestImage.Layer base = new JavaTestImage.Layer()
                .file("opt/java/openjdk/bin/java", JAVA)
                .file("opt/java/openjdk/release", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n"
                        + "JAVA_VERSION_DATE=\"2026-04-21\"\n")
                .symlink("usr/bin/java", "../../opt/java/openjdk/bin/java")
                .file("usr/share/doc/demo/Example.java", JAVA_SOURCE)
                .file("app/app.jar", fat)
                .file("app/lib/commons-lang3-3.12.0.jar", lang3)
                .file("app/lib/private-util.jar", TestJars.jar().deflated("p/Q.class", "bytecode").build())
                .file("app/lib/broken.jar", broken)
                .file("app/lib/truncated-client-1.0.jar", Arrays.copyOf(client, client.length - 40))
                .file("app/lib/executable-launcher-2.1.jar",
                        Files.readAllBytes(Path.of("src/test/resources/fixtures/apps/java/executable-launcher-2.1.jar")))
                .file("srv/shop.war", war)
                .file("srv/empty/only.war", TestJars.jar().deflated("index.html", "<html/>").build())
                .hardLink("deploy/commons-lang3-linked.jar", "app/lib/commons-lang3-3.12.0.jar")
                .file("usr/lib/jvm/jre/lib/jrt-fs.jar", lang3)
                .file("root/.gradle/caches/modules-2/guava.jar", guava);
        JavaTestImage.Layer top = new JavaTestImage.Layer().file("opt/node/bin/node", NODE);
        Path archive = new JavaTestImage().layer(base).layer(top).dockerArchive(dir, "java-apps.tar");

        theirs = reference.scan("docker-archive:" + archive);
        ours = scan(archive);
    }

    @Test
    void jarsMatchTheReferenceExceptTheHardLink() {
        JsonNode response = ours.pluginResponse();
        assertSameMaven(theirs, response, Set.of("maven:/deploy"));
        assertThat(ScanResults.packagesByTarget(response)).containsEntry("maven:/app/lib", new TreeSet<>(Set.of(
                "/app/lib/broken.jar|sha1:" + sha1Of(response, "/app/lib/broken.jar"),
                "/app/lib/commons-lang3-3.12.0.jar|org.apache.commons:commons-lang3@3.12.0",
                "/app/lib/executable-launcher-2.1.jar|com.example:launcher@2.1",
                "/app/lib/private-util.jar|sha1:" + sha1Of(response, "/app/lib/private-util.jar"),
                "/app/lib/truncated-client-1.0.jar|sha1:" + sha1Of(response, "/app/lib/truncated-client-1.0.jar"))));
        assertThat(ScanResults.packagesByTarget(response).get("maven:/app")).containsExactly(
                "/app/app.jar/BOOT-INF/lib/guava-31.1-jre.jar|com.google.guava:guava@31.1-jre",
                "/app/app.jar/BOOT-INF/lib/inner-fat.jar|sha1:" + sha1Of(response, "/app/app.jar/BOOT-INF/lib/inner-fat.jar"),
                "/app/app.jar/BOOT-INF/lib/internal.jar|sha1:" + sha1Of(response, "/app/app.jar/BOOT-INF/lib/internal.jar"),
                "/app/app.jar|com.example:app@1.0");
        assertThat(ScanResults.jarDependencies(response).get("maven:/app"))
                .containsExactly("/app/app.jar|org.slf4j:slf4j-api@2.0.9");
        assertThat(ScanResults.packagesByTarget(response).get("maven:/srv/empty"))
                .as("a war without jars still gives its directory a result, as in the reference").isEmpty();
        assertThat(ours.warnings()).anyMatch(w -> w.contains("/app/lib/broken.jar"))
                .anyMatch(w -> w.contains("/app/lib/truncated-client-1.0.jar"));
    }

    /** scanning.md §9 row 4: the reference skips tar hard links; we report the linked jar under its own name. */
    @Test
    void weReportHardLinkedJarsTheReferenceDoesNot() {
        assertThat(ScanResults.byTarget(theirs)).doesNotContainKey("maven:/deploy");
        assertThat(ScanResults.packagesByTarget(ours.pluginResponse()).get("maven:/deploy")).containsExactly(
                "/deploy/commons-lang3-linked.jar|org.apache.commons:commons-lang3@3.12.0");
    }

    /**
     * scanning.md §9 row 12: the reference hashes every path ending in "java" or "node" (here a Java source file
     * too); we hash files named exactly so. Both list each hash once; ours in path order.
     */
    @Test
    void keyBinariesAreTheReferencesWithoutFilesThatOnlyEndInJava() {
        List<String> ourHashes = texts(osFact(ours.pluginResponse(), "keyBinariesHashes"));
        List<String> theirHashes = texts(osFact(theirs, "keyBinariesHashes"));
        assertThat(ourHashes).containsExactly(TestJars.sha256(JAVA), TestJars.sha256(NODE));
        assertThat(theirHashes).containsExactlyInAnyOrder(TestJars.sha256(JAVA), TestJars.sha256(NODE),
                TestJars.sha256(JAVA_SOURCE));
    }

    @Test
    void baseRuntimeMatchesTheReference() {
        JsonNode runtimes = osFact(ours.pluginResponse(), "baseRuntimes");
        assertThat(runtimes).hasToString("[{\"type\":\"java\",\"version\":\"25.0.3\"}]")
                .isEqualTo(osFact(theirs, "baseRuntimes"));
        assertThat(ScanResults.factTypes(ours.pluginResponse()).get("linux:os"))
                .as("the reference's OS fact order").containsSubsequence("depGraph", "keyBinariesHashes", "baseRuntimes", "imageId");
    }

    /** Same maven targets (ours may add {@code extra}), and per target the same fingerprints, byte for byte. */
    private static void assertSameMaven(JsonNode reference, JsonNode response, Set<String> extra) {
        Set<String> theirTargets = mavenTargets(reference);
        Set<String> ourTargets = mavenTargets(response);
        Set<String> expectedTargets = new HashSet<>(theirTargets);
        expectedTargets.addAll(extra);
        assertThat(ourTargets).isEqualTo(expectedTargets);
        for (String target : theirTargets) {
            JsonNode theirData = ScanResults.fact(ScanResults.result(reference, target), "jarFingerprints");
            JsonNode ourData = ScanResults.fact(ScanResults.result(response, target), "jarFingerprints");
            assertThat(ScanResults.packagesByTarget(response).get(target)).as(target)
                    .isEqualTo(ScanResults.packagesByTarget(reference).get(target));
            assertThat(ScanResults.jarDependencies(response).get(target)).as(target)
                    .isEqualTo(ScanResults.jarDependencies(reference).get(target));
            assertThat(fingerprintTexts(ourData)).as(target + " fingerprints as JSON text")
                    .isEqualTo(fingerprintTexts(theirData));
            assertThat(ourData.path("origin")).as(target).isEqualTo(theirData.path("origin"));
            assertThat(ourData.path("path")).as(target).isEqualTo(theirData.path("path"));
            assertThat(ScanResults.factTypes(response).get(target)).as(target)
                    .isEqualTo(ScanResults.factTypes(reference).get(target));
        }
    }

    private static Set<String> mavenTargets(JsonNode response) {
        return ScanResults.byTarget(response).keySet().stream().filter(k -> k.startsWith("maven:"))
                .collect(Collectors.toSet());
    }

    private static String mavenSummary(JsonNode response) {
        return Arrays.stream(ScanResults.summary(response).split(" ")).filter(p -> p.startsWith("maven:"))
                .collect(Collectors.joining(" "));
    }

    private static Set<String> fingerprintTexts(JsonNode data) {
        return StreamSupport.stream(data.path("fingerprints").spliterator(), false).map(JsonNode::toString)
                .collect(Collectors.toCollection(LinkedHashSet::new)).stream().collect(Collectors.toCollection(TreeSet::new));
    }

    private static String sha1Of(JsonNode response, String location) {
        for (JsonNode result : response.path("scanResults")) {
            JsonNode data = ScanResults.fact(result, "jarFingerprints");
            if (data != null) {
                for (JsonNode fingerprint : data.path("fingerprints")) {
                    if (fingerprint.path("location").asText().equals(location)) {
                        return fingerprint.path("digest").asText();
                    }
                }
            }
        }
        throw new AssertionError("no fingerprint at " + location);
    }

    private static JsonNode osFact(JsonNode response, String type) {
        return ScanResults.fact(response.path("scanResults").get(0), type);
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
