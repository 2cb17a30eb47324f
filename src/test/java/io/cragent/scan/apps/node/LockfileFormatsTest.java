package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.apps.AppResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Format details the image comparison does not reach: yarn classic syntax, pnpm paths, npm edge cases. */
class LockfileFormatsTest {

    @Test
    void yarnClassicSyntax() throws Exception {
        String lock = "# yarn lockfile v1\r\n\r\n"
                + "\"@s/a@^1.0.0\", \"@s/a@~1.0.0\", b@1:\r\n"
                + "  version \"1.0.2\"\r\n"
                + "  optional true\r\n"
                + "  dependencies:\r\n"
                + "    c \"^2\"\r\n"
                + "c@^2:\r\n  version \"2.0.0\"\r\n";
        JsonNode parsed = YarnLockV1Parser.parse(lock);
        assertThat(parsed.path("@s/a@^1.0.0").path("version").asText()).isEqualTo("1.0.2");
        assertThat(parsed.path("b@1").path("dependencies").path("c").asText()).isEqualTo("^2");
        assertThat(parsed.path("b@1").path("optional").asText()).isEqualTo("true");
        assertThat(parsed.has("c@^2")).isTrue();
    }

    @Test
    void yarnClassicMergeConflictTakesBothSides() throws Exception {
        String lock = "a@1:\n  version \"1.0.0\"\n<<<<<<< HEAD\nb@1:\n  version \"1.0.0\"\n=======\n"
                + "b@1:\n  version \"1.1.0\"\nc@1:\n  version \"1.0.0\"\n>>>>>>> branch\n";
        JsonNode parsed = YarnLockV1Parser.parse(lock);
        assertThat(parsed.path("b@1").path("version").asText()).isEqualTo("1.1.0");
        assertThat(parsed.has("a@1")).isTrue();
        assertThat(parsed.has("c@1")).isTrue();
    }

    @Test
    void pnpmDependencyPathsAndPeerSuffixes() throws Exception {
        PnpmPackages v5 = PnpmPackages.load("lockfileVersion: 5.4\npackages:\n"
                + "  /@babel/core/7.1.0_eslint@8.0.0:\n    dev: false\n"
                + "  registry.example/left-pad/1.3.0:\n    dev: false\n");
        assertThat(v5.withoutPeers("/@babel/core/7.1.0_eslint@8.0.0")).isEqualTo("/@babel/core/7.1.0");
        assertThat(v5.entry("@babel/core@7.1.0")).isNotNull();
        assertThat(v5.entry("left-pad@1.3.0")).isNotNull();
        assertThat(v5.resolveKey("core-alias", "/@babel/core/7.1.0")).isEqualTo("@babel/core@7.1.0");

        PnpmPackages v6 = PnpmPackages.load("lockfileVersion: '6.0'\npackages:\n  /react-dom@18.2.0(react@18.2.0):\n"
                + "    dependencies:\n      react: 18.2.0\n");
        assertThat(v6.withoutPeers("18.2.0(react@18.2.0)(x@1)")).isEqualTo("18.2.0");
        assertThat(v6.entry("react-dom@18.2.0").dependencies()).containsEntry("react", "18.2.0");

        assertThat(PnpmPackages.joinPosix(".", "packages/lib")).isEqualTo("packages/lib");
        assertThat(PnpmPackages.joinPosix("apps/web", "../../packages/lib")).isEqualTo("packages/lib");
        assertThat(PnpmLockGraph.mainDocument("---\nsettings: {}\n---\nlockfileVersion: '9.0'\n"))
                .isEqualTo("lockfileVersion: '9.0'\n");
        assertThat(PnpmLockGraph.mainDocument("lockfileVersion: '9.0'\n")).isEqualTo("lockfileVersion: '9.0'\n");
    }

    @Test
    void npmEdgeCases() {
        String v1 = "{\"dependencies\":{\"a\":{\"version\":\"1.0.0\",\"requires\":{\"@s/gone\":\"1\",\"gone\":\"1\"}}}}";
        String v2 = "{\"lockfileVersion\":2,\"packages\":{"
                + "\"node_modules/p\":{\"version\":\"1.0.0\",\"bundleDependencies\":[\"inner\"],"
                + "\"dependencies\":{\"inner\":\"^1\"}}}}";
        List<AppResult> results = NodeLayers.image()
                // No lockfileVersion: read as v1, with npm 7's root peer dependencies.
                .file("/v1/package.json", "{\"name\":\"v1\",\"dependencies\":{\"a\":\"^1\"},\"peerDependencies\":"
                        + "{\"peer\":\"^2\",\"opt-peer\":\"^3\"},\"peerDependenciesMeta\":{\"opt-peer\":{\"optional\":true}}}")
                .file("/v1/package-lock.json", v1)
                .file("/v2/package.json", "{\"dependencies\":{\"p\":\"^1\"}}")
                .file("/v2/package-lock.json", v2)
                .analyze();
        AppResult first = NodeGraphs.result(results, "npm", "/v1/package.json");
        assertThat(NodeGraphs.root(first)).isEqualTo("v1@");
        // Deliberate difference: the reference mangles a missing scoped require into "@s/gon@@s/gone".
        assertThat(NodeGraphs.packages(first))
                .containsExactlyInAnyOrder("a@1.0.0", "gone@unknown", "@s/gone@unknown", "peer@^2");
        AppResult second = NodeGraphs.result(results, "npm", "/v2/package.json");
        assertThat(NodeGraphs.root(second)).isEqualTo("package.json@");
        assertThat(NodeGraphs.packages(second)).containsExactlyInAnyOrder("p@1.0.0", "inner@");
    }
}
