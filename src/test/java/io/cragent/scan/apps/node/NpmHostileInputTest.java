package io.cragent.scan.apps.node;

import io.cragent.scan.apps.AppResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Broken, cyclic, explosive and huge inputs: never a crash, bounded time, a warning where something is skipped. */
class NpmHostileInputTest {
    private static final String MANIFEST = "{\"name\":\"p\",\"version\":\"1.0.0\",\"dependencies\":{\"a\":\"^1.0.0\"}}";

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void malformedLockfilesAreSkippedWithAWarningEach() {
        NodeLayers image = NodeLayers.image()
                .file("/json/package.json", MANIFEST).file("/json/package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {")
                .file("/v7/package.json", MANIFEST).file("/v7/package-lock.json", "{\"lockfileVersion\": 7}")
                .file("/nopackages/package.json", MANIFEST).file("/nopackages/package-lock.json", "{\"lockfileVersion\": 2}")
                .file("/manifest/package.json", "{\"name\": ").file("/manifest/package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {}}")
                .file("/yaml/package.json", MANIFEST).file("/yaml/pnpm-lock.yaml", "lockfileVersion: '9.0'\nimporters:\n  .: [unclosed\n")
                .file("/pnpm4/package.json", MANIFEST).file("/pnpm4/pnpm-lock.yaml", "lockfileVersion: 4.0\n")
                .file("/scalar/package.json", MANIFEST).file("/scalar/pnpm-lock.yaml", "just a string\n")
                .file("/indent/package.json", MANIFEST).file("/indent/yarn.lock", "a@^1.0.0:\n   version \"1.0.0\"\n")
                .file("/quote/package.json", MANIFEST).file("/quote/yarn.lock", "a@^1.0.0:\n  version \"1.0.0\n")
                .file("/berry/package.json", MANIFEST).file("/berry/yarn.lock", "__metadata:\n  version: 6\n\"a@npm:1\": [\n");
        List<AppResult> results = image.analyze();

        assertThat(results).isEmpty();
        for (String project : List.of("/json", "/v7", "/nopackages", "/manifest", "/yaml", "/pnpm4", "/scalar",
                "/indent", "/quote", "/berry")) {
            assertThat(image.warnings()).as(project)
                    .anyMatch(w -> w.startsWith("npm: skipped " + project + "/package.json: "));
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void explosiveAndDeeplyNestedDocumentsFailFast() {
        StringBuilder laughs = new StringBuilder("lockfileVersion: '6.0'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 30; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                laughs.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            laughs.append("]\n");
        }
        String deepYaml = "lockfileVersion: '6.0'\nx: " + "[".repeat(200_000);
        String deepJson = "{\"lockfileVersion\": 3, \"packages\": " + "[".repeat(200_000);
        NodeLayers image = NodeLayers.image()
                .file("/laughs/package.json", MANIFEST).file("/laughs/pnpm-lock.yaml", laughs.toString())
                .file("/deepyaml/package.json", MANIFEST).file("/deepyaml/pnpm-lock.yaml", deepYaml)
                .file("/deepjson/package.json", MANIFEST).file("/deepjson/package-lock.json", deepJson)
                .file("/deepyarn/package.json", MANIFEST).file("/deepyarn/yarn.lock", deepYarn(100));
        List<AppResult> results = image.analyze();

        assertThat(results).isEmpty();
        assertThat(image.warnings()).anyMatch(w -> w.startsWith("npm: skipped /laughs/package.json"))
                .anyMatch(w -> w.startsWith("npm: skipped /deepyaml/package.json"))
                .anyMatch(w -> w.startsWith("npm: skipped /deepjson/package.json"))
                .anyMatch(w -> w.startsWith("npm: skipped /deepyarn/package.json"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void cyclesAreReportedOnceAndTheGraphStaysAcyclic() {
        String v1 = "{\"lockfileVersion\":1,\"dependencies\":{"
                + "\"a\":{\"version\":\"1.0.0\",\"requires\":{\"b\":\"1\"}},"
                + "\"b\":{\"version\":\"1.0.0\",\"requires\":{\"a\":\"1\",\"b\":\"1\"}}}}";
        NodeLayers image = NodeLayers.image()
                .file("/v1/package.json", MANIFEST).file("/v1/package-lock.json", v1)
                .pkg("/tree/node_modules/a", "a", "1.0.0", "b")
                .pkg("/tree/node_modules/b", "b", "1.0.0", "c", "b")
                .pkg("/tree/node_modules/c", "c", "1.0.0", "a");
        List<AppResult> results = image.analyze();

        AppResult lock = NodeGraphs.result(results, "npm", "/v1/package.json");
        assertThat(NodeGraphs.packages(lock)).containsExactlyInAnyOrder("a@1.0.0", "b@1.0.0");
        AppResult tree = NodeGraphs.result(results, "npm", "/tree/node_modules");
        assertThat(NodeGraphs.packages(tree)).containsExactlyInAnyOrder("a@1.0.0", "b@1.0.0", "c@1.0.0");
        assertThat(NodeGraphs.edges(tree).get("c@1.0.0")).isEmpty(); // c → a would close a → b → c → a
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void twentyThousandInstalledPackagesInOneLayer() {
        NodeLayers image = NodeLayers.image();
        int count = 20_000;
        for (int i = 0; i < count; i++) {
            String next = "pkg-" + (i + 1);
            if (i + 1 < count) {
                image.pkg("/big/node_modules/pkg-" + i, "pkg-" + i, "1.0." + i, next);
            } else {
                image.pkg("/big/node_modules/pkg-" + i, "pkg-" + i, "1.0." + i);
            }
        }
        image.file("/big/node_modules/broken-1/package.json", "{\"name\": \"broken\"")
                .file("/big/node_modules/broken-2/package.json", "not json")
                .pkg("/big/node_modules/broken-2/node_modules/hidden", "hidden", "1.0.0");
        long start = System.nanoTime();
        List<AppResult> results = image.analyze();
        long millis = (System.nanoTime() - start) / 1_000_000;

        AppResult big = NodeGraphs.result(results, "npm", "/big/node_modules");
        Set<String> packages = NodeGraphs.packages(big);
        assertThat(packages).hasSize(count).contains("pkg-0@1.0.0", "pkg-19999@1.0.19999").doesNotContain("hidden@1.0.0");
        assertThat(NodeGraphs.root(big)).isEqualTo("big@");
        assertThat(image.warnings()).anyMatch(w -> w.startsWith("npm: skipped 2 unreadable package.json file(s)"));
        assertThat(millis).as("analysis time in ms").isLessThan(15_000);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aLongDependencyChainDoesNotExhaustTheStack() {
        StringBuilder lock = new StringBuilder("{\"lockfileVersion\":3,\"packages\":{\"\":{}");
        int length = 20_000;
        for (int i = 0; i < length; i++) {
            lock.append(",\"node_modules/c").append(i).append("\":{\"version\":\"1.0.0\"");
            lock.append(",\"dependencies\":{\"c").append((i + 1) % length).append("\":\"1.0.0\"}}");
        }
        lock.append("}}");
        NodeLayers image = NodeLayers.image()
                .file("/chain/package.json", "{\"name\":\"chain\",\"dependencies\":{\"c0\":\"1.0.0\"}}")
                .file("/chain/package-lock.json", lock.toString());
        AppResult chain = NodeGraphs.result(image.analyze(), "npm", "/chain/package.json");
        assertThat(NodeGraphs.packages(chain)).hasSize(length);
        assertThat(NodeGraphs.root(chain)).isEqualTo("chain@");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void lockfilesOverTheSizeCapAreSkippedWithAWarning() {
        String huge = "{\"lockfileVersion\":3,\"packages\":{},\"pad\":\"" + "x".repeat(16 * 1024 * 1024) + "\"}";
        NodeLayers image = NodeLayers.image()
                .file("/huge/package.json", MANIFEST).file("/huge/package-lock.json", huge);
        assertThat(image.analyze()).isEmpty();
        assertThat(image.warnings()).anyMatch(w -> w.contains("/huge/package-lock.json") && w.contains("limit"));
    }

    /** Keys nested {@code depth} levels deep, two spaces each. */
    private static String deepYarn(int depth) {
        StringBuilder yarn = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            yarn.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        return yarn.append("  ".repeat(depth)).append("version \"1\"\n").toString();
    }
}
