package io.cragent.scan.apps.java;

import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** keyBinariesHashes and baseRuntimes from layers read by the real layer reader. */
class RuntimeFactsTest {
    private static final AppContext CONTEXT = new AppContext("img:1", new ArrayList<>());

    @Test
    void hashesRegularFilesNamedJavaOrNodeOnceEach() {
        KeyBinariesAnalyzer analyzer = new KeyBinariesAnalyzer();
        JavaTestImage.Layer base = new JavaTestImage.Layer()
                .file("opt/java/openjdk/bin/java", "java-1")
                .file("usr/local/bin/node", "node-1")
                .hardLink("usr/local/bin/nodejs-copy/node", "usr/local/bin/node")
                .file("srv/other/java", "java-1")
                .symlink("usr/bin/java", "/opt/java/openjdk/bin/java")
                .file("usr/share/Main.java", "class Main {}")
                .file("opt/mynode", "not a runtime");
        JavaTestImage.Layer upgrade = new JavaTestImage.Layer().file("opt/java/openjdk/bin/java", "java-2");
        AppFindings findings = analyzer.analyze(LayerFiles.read(analyzer, base, upgrade), CONTEXT);
        assertThat(findings.results()).isEmpty();
        assertThat(findings.osFacts()).singleElement().satisfies(fact -> {
            assertThat(fact.type()).isEqualTo("keyBinariesHashes");
            assertThat(fact.data()).extracting(n -> n.asText()).containsExactly(
                    TestJars.sha256("java-2".getBytes()), TestJars.sha256("java-1".getBytes()),
                    TestJars.sha256("node-1".getBytes()));
        });
        KeyBinariesAnalyzer none = new KeyBinariesAnalyzer();
        assertThat(none.analyze(LayerFiles.read(none, new JavaTestImage.Layer().file("etc/hosts", "x")), CONTEXT))
                .isEqualTo(AppFindings.NONE);
    }

    @Test
    void theFirstReleaseFileThatNamesAVersionGivesTheRuntime() {
        JavaRuntimeAnalyzer analyzer = new JavaRuntimeAnalyzer();
        JavaTestImage.Layer jdks = new JavaTestImage.Layer()
                .file("usr/lib/jvm/a-broken/release", "IMPLEMENTOR=\"nobody\"\n")
                .file("usr/lib/jvm/b-temurin-21/release", "JAVA_VERSION=\"21.0.7\"\n")
                .file("usr/local/openjdk-17/release", "JAVA_VERSION=\"17.0.2\"\n");
        AppFindings findings = analyzer.analyze(LayerFiles.read(analyzer, jdks), CONTEXT);
        assertThat(findings.osFacts()).singleElement().satisfies(fact -> {
            assertThat(fact.type()).isEqualTo("baseRuntimes");
            assertThat(fact.data()).hasToString("[{\"type\":\"java\",\"version\":\"21.0.7\"}]");
        });
        assertThat(analyzer.analyze(LayerFiles.read(analyzer, new JavaTestImage.Layer()
                .file("opt/java/openjdk/lib/release", "JAVA_VERSION=\"9\"")), CONTEXT)).isEqualTo(AppFindings.NONE);
    }

    @Test
    void jarsAreGroupedByDirectoryAndHardLinksCount() {
        JarAnalyzer analyzer = new JarAnalyzer();
        byte[] lib = TestJars.jar().pom("g", "lib", "1").build();
        JavaTestImage.Layer layer = new JavaTestImage.Layer()
                .file("app/lib-1.jar", lib)
                .hardLink("opt/lib-linked.jar", "app/lib-1.jar")
                .file("usr/lib/x/lib-1.jar", lib);
        ArrayList<String> warnings = new ArrayList<>();
        AppFindings findings = analyzer.analyze(LayerFiles.read(analyzer, layer), new AppContext("img:1", warnings));
        assertThat(findings.osFacts()).isEmpty();
        assertThat(findings.results()).extracting(r -> r.type() + ":" + r.targetFile())
                .containsExactly("maven:/app", "maven:/opt");
        assertThat(findings.results().get(1).facts()).singleElement().satisfies(fact -> {
            assertThat(fact.type()).isEqualTo("jarFingerprints");
            assertThat(fact.data()).hasToString("{\"fingerprints\":[{\"location\":\"/opt/lib-linked.jar\","
                    + "\"digest\":null,\"dependencies\":[],\"version\":\"1\",\"groupId\":\"g\",\"artifactId\":\"lib\"}],"
                    + "\"origin\":\"img:1\",\"path\":\"/opt\"}");
        });
        assertThat(warnings).isEmpty();
    }
}
