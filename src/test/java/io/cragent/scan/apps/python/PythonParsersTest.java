package io.cragent.scan.apps.python;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pip and poetry parsers on their own: reference semantics, our deliberate difference, hostile input. */
class PythonParsersTest {

    @Test
    void requirementLinesParseLikeTheReference() {
        PipRequirement r = PipRequirement.fromRequirementsLine("  Requests[socks, security]~=2.31  # pinned\r");
        assertThat(r.name()).isEqualTo("requests");
        assertThat(r.extras()).containsExactly("socks", "security");
        assertThat(r.specifier()).isEqualTo("^");
        assertThat(r.version()).isEqualTo("2.31");
        assertThat(PipRequirement.fromRequirementsLine("foo===1.2.3").specifier()).isEqualTo("=");
        assertThat(PipRequirement.fromRequirementsLine("foo >= 1.0").version()).isNull();
        for (String skipped : List.of("", "# comment", "-r base.txt", "-e .", "--hash=sha256:x",
                "https://example.com/x.whl", "git+https://github.com/a/b.git", "/abs/path")) {
            assertThat(PipRequirement.fromRequirementsLine(skipped)).as(skipped).isNull();
        }
    }

    @Test
    void requiresDistKnowsWhichEntriesOnlyServeExtras() {
        List<String> extras = List.of("socks", "use_chardet_on_py3");
        PipRequirement socks = PipRequirement.fromRequiresDist("PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'", extras);
        assertThat(socks.name()).isEqualTo("pysocks");
        assertThat(socks.extraMarkers()).containsExactly("socks");
        assertThat(PipRequirement.fromRequiresDist("idna<4,>=2.5; python_version >= \"3\"", extras).optional())
                .isFalse();
    }

    @Test
    void metadataVersionsAreCoercedAsNodeSemverDoes() {
        assertThat(PipVersions.metadataVersion("2.31.0")).isEqualTo("2.31.0");
        assertThat(PipVersions.metadataVersion("1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(PipVersions.metadataVersion("3.4")).isEqualTo("3.4.0");
        assertThat(PipVersions.metadataVersion("6")).isEqualTo("6.0.0");
        assertThat(PipVersions.metadataVersion("2.0.0rc1")).isEqualTo("2.0.0");
        assertThat(PipVersions.metadataVersion("2023.07.1")).isNull();
        assertThat(PipVersions.metadataVersion("unknown")).isNull();
        assertThat(PipVersions.satisfies("1.26.5", "<", "3")).isTrue();
        assertThat(PipVersions.satisfies("3.0.0", "<", "3")).isFalse();
        assertThat(PipVersions.satisfies("1.4.9", "^", "1.4")).isTrue();
        assertThat(PipVersions.satisfies("1.5.0", "~", "1.4.5")).isFalse();
        assertThat(PipVersions.satisfies("2.1.0", ">", "2")).isFalse();
        assertThat(PipVersions.satisfies("2.0.4", "=", "2.0")).isTrue();
        assertThat(PipVersions.satisfies("1.0.0", "!=", "2.0")).isFalse();
        assertThat(PipVersions.satisfies("1.2.3.4", "=", "1.2.3.4")).isFalse();
    }

    @Test
    void namesResolveUnderPep503WhereTheReferenceOnlyLowerCases() {
        // Deliberate difference: "Charset_Normalizer" finds "charset-normalizer"; the reference's lookup is
        // case-insensitive only. Reported ids keep the reference's spelling (Name, lower-cased).
        PipDist dist = PipDist.parse("Name: Charset-Normalizer\nVersion: 3.2.0\n");
        PipResolver resolver = new PipResolver(List.of(dist));
        assertThat(resolver.find(PipRequirement.fromRequirementsLine("Charset_Normalizer"))).isEqualTo(dist);
        assertThat(resolver.find(PipRequirement.fromRequirementsLine("charset.normalizer"))).isEqualTo(dist);
        assertThat(dist.id()).isEqualTo("charset-normalizer@3.2.0");
    }

    @Test
    void multipleInstalledVersionsPickBySpecifier() {
        PipResolver resolver = new PipResolver(List.of(PipDist.parse("Name: six\nVersion: 1.15.0\n"),
                PipDist.parse("Name: six\nVersion: 1.16.0\n")));
        assertThat(resolver.find(PipRequirement.fromRequirementsLine("six")).version()).isEqualTo("1.16.0");
        assertThat(resolver.find(PipRequirement.fromRequirementsLine("six==1.15.0")).version()).isEqualTo("1.15.0");
        assertThat(resolver.find(PipRequirement.fromRequirementsLine("six==9")).version()).isEqualTo("1.16.0");
    }

    @Test
    void tomlSubsetReadsPoetryShapes() {
        JsonNode doc = MiniToml.parse(PoetryAnalyzerTest.LOCK);
        assertThat(doc.path("package")).hasSize(12);
        assertThat(doc.path("package").get(9).path("dependencies").path("PySocks").path("optional").asBoolean()).isTrue();
        assertThat(doc.path("metadata").path("lock-version").asText()).isEqualTo("2.0");
        JsonNode v1 = MiniToml.parse(PoetryAnalyzerTest.V1);
        assertThat(v1.path("tool").path("poetry").path("description").asText())
                .isEqualTo("A demo\nwith a \"multi-line\" description");
        JsonNode tricky = MiniToml.parse("a.\"b.c\" = 'x\\y' # c\n[t]\nk = \"\\u00e9\\t\"\narr = [ [1, 2], {x = 1} ]\n");
        assertThat(tricky.path("a").path("b.c").asText()).isEqualTo("x\\y");
        assertThat(tricky.path("t").path("k").asText()).isEqualTo("é\t");
        assertThat(tricky.path("t").path("arr").get(1).path("x").asText()).isEqualTo("1");
        assertThatThrownBy(() -> MiniToml.parse("a = 1\na = 2\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostileInputNeverEscapesAsAnythingButIllegalArgument() {
        Random random = new Random(42);
        List<String> inputs = new ArrayList<>();
        String lock = PoetryAnalyzerTest.LOCK;
        for (int cut = 0; cut < lock.length(); cut += 53) {
            inputs.add(lock.substring(0, cut));
        }
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            inputs.add(new String(noise, StandardCharsets.ISO_8859_1));
        }
        for (String input : inputs) {
            try {
                MiniToml.parse(input);
            } catch (IllegalArgumentException expected) {
                // a clean refusal
            }
            PipDist.parse(input);
            for (String line : input.split("\n")) {
                PipRequirement.fromRequirementsLine(line);
            }
        }
    }
}
