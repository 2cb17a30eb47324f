package io.cragent.scan.apps.java;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** snyk-docker-plugin's pom.properties parsing and coordinate rule, reproduced quirk for quirk. */
class JarFingerprintsTest {

    private static PomCoordinates pom(String text) {
        return PomCoordinates.parse(text);
    }

    private static ArrayNode fingerprints(String location, ArchiveSummary summary, List<String> warnings) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        JarFingerprints.append(location, summary, out, warnings);
        return out;
    }

    private static ArchiveSummary summary(String sha1, PomCoordinates... poms) {
        return new ArchiveSummary(sha1, List.of(poms), List.of(), null);
    }

    @Test
    void parsesPomPropertiesAsTheReferenceDoes() {
        assertThat(pom("#c\r\nversion=1.0\r\ngroupId=g\r\nartifactId=a\r\n").fields())
                .containsExactly(java.util.Map.entry("version", "1.0"), java.util.Map.entry("groupId", "g"),
                        java.util.Map.entry("artifactId", "a"));
        assertThat(pom("groupId=g\nartifactId=a\nversion=1.0=beta\n").fields().get("version"))
                .as("the value stops at the next '='").isEqualTo("1.0");
        assertThat(pom("groupId=g\nartifactId=a\nversion=1\nversion=2\n").fields())
                .as("a repeated key keeps its first place and its last value")
                .containsExactly(java.util.Map.entry("groupId", "g"), java.util.Map.entry("artifactId", "a"),
                        java.util.Map.entry("version", "2"));
        assertThat(pom("groupId = g\nartifactId=a\nversion=1\n")).as("no spaces before '='").isNull();
        assertThat(pom("groupId=g\nartifactId=a\nversion=\n")).as("all three needed").isNull();
        assertThat(pom("groupId=com.microsoft.sqlserver\nartifactId=mssql-jdbc\nversion=12.4.2.jre11\n"))
                .as("distrusted by the reference").isNull();
    }

    @Test
    void aPomNamedInTheLocationIdentifiesTheJarOthersAreShadedDependencies() {
        PomCoordinates own = pom("version=3.12.0\ngroupId=org.apache.commons\nartifactId=commons-lang3\n");
        PomCoordinates shaded = pom("groupId=com.google.guava\nartifactId=guava\nversion=31.1-jre\n");
        ArrayNode out = fingerprints("/app/commons-lang3-3.12.0.jar", summary("abc", shaded, own), new ArrayList<>());
        assertThat(out.toString()).isEqualTo("[{\"location\":\"/app/commons-lang3-3.12.0.jar\",\"digest\":null,"
                + "\"dependencies\":[{\"groupId\":\"com.google.guava\",\"artifactId\":\"guava\",\"version\":\"31.1-jre\"}],"
                + "\"version\":\"3.12.0\",\"groupId\":\"org.apache.commons\",\"artifactId\":\"commons-lang3\"}]");

        assertThat(fingerprints("/app/renamed.jar", summary("abc", own), new ArrayList<>()).toString())
                .isEqualTo("[{\"location\":\"/app/renamed.jar\",\"digest\":\"abc\",\"dependencies\":[{\"version\":"
                        + "\"3.12.0\",\"groupId\":\"org.apache.commons\",\"artifactId\":\"commons-lang3\"}]}]");
    }

    @Test
    void theWholeLocationCountsAndTheLastMatchWins() {
        PomCoordinates app = pom("groupId=g\nartifactId=app\nversion=1\n");
        PomCoordinates lib = pom("groupId=g\nartifactId=lib\nversion=2\n");
        ArrayNode out = fingerprints("/app/lib/x.jar", summary("abc", app, lib), new ArrayList<>());
        assertThat(out.get(0).path("artifactId").asText()).as("'lib' is in the directory, and comes last")
                .isEqualTo("lib");
        assertThat(out.get(0).path("dependencies")).as("an overridden match is dropped, not a dependency").isEmpty();
    }

    @Test
    void warsAreContainersAndNestedJarsAreLocatedInsideTheirArchive() {
        ArchiveSummary helper = summary("h1", pom("groupId=g\nartifactId=helper\nversion=2\n"));
        ArchiveSummary war = new ArchiveSummary("w1", List.of(),
                List.of(new ArchiveSummary.NestedJar("WEB-INF/lib/helper-2.jar", helper),
                        new ArchiveSummary.NestedJar("WEB-INF/lib/blob.jar", ArchiveSummary.unreadable("b1", "bad"))),
                null);
        List<String> warnings = new ArrayList<>();
        ArrayNode out = fingerprints("/srv/shop.war", war, warnings);
        assertThat(out).extracting(n -> n.path("location").asText())
                .containsExactly("/srv/shop.war/WEB-INF/lib/helper-2.jar", "/srv/shop.war/WEB-INF/lib/blob.jar");
        assertThat(out.get(1).path("digest").asText()).isEqualTo("b1");
        assertThat(warnings).singleElement().asString().contains("/srv/shop.war/WEB-INF/lib/blob.jar", "bad");
    }

    @Test
    void jarSelectionFollowsTheReference() {
        JarSummarizer defaults = new JarSummarizer(1, false);
        assertThat(defaults.wants("/app/a.jar")).isTrue();
        assertThat(defaults.wants("/srv/a.war")).isTrue();
        assertThat(defaults.wants("/app/a.JAR")).isFalse();
        assertThat(defaults.wants("/app/a.ear")).isFalse();
        assertThat(defaults.wants("/usr/lib/jvm/lib/jrt-fs.jar")).isFalse();
        assertThat(defaults.wants("/usr/lib64/x.jar")).as("substring of the directory").isFalse();
        assertThat(defaults.wants("/root/.gradle/caches/modules-2/x.jar")).isFalse();
        assertThat(defaults.wants("/usr/lib.jar")).as("only the directory is tested").isTrue();
        JarSummarizer system = new JarSummarizer(1, true);
        assertThat(system.wants("/usr/lib/jvm/lib/jrt-fs.jar")).isTrue();
        assertThat(system.wants("/root/.gradle/caches/x.jar")).isFalse();
    }
}
