package io.cragent.scan.apps.node;

import io.cragent.scan.apps.AppResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Installed node_modules trees: grouping, layering, caches, Node-style edges and the exclude option. */
class NpmInstalledTreesTest {

    @Test
    void edgesResolveToTheNearestInstalledCopy() {
        List<AppResult> results = NodeLayers.image()
                .pkg("/srv/node_modules/a", "a", "1.0.0", "d")
                .pkg("/srv/node_modules/a/node_modules/d", "d", "2.0.0")
                .pkg("/srv/node_modules/b", "b", "1.0.0", "d")
                .pkg("/srv/node_modules/d", "d", "1.0.0")
                .pkg("/srv/node_modules/@scope/e", "@scope/e", "1.0.0", "a")
                .analyze();
        AppResult tree = NodeGraphs.result(results, "npm", "/srv/node_modules");
        assertThat(NodeGraphs.root(tree)).isEqualTo("srv@");
        assertThat(NodeGraphs.packages(tree))
                .containsExactlyInAnyOrder("a@1.0.0", "b@1.0.0", "d@1.0.0", "d@2.0.0", "@scope/e@1.0.0");
        assertThat(NodeGraphs.edges(tree).get("a@1.0.0")).containsExactly("d@2.0.0");
        assertThat(NodeGraphs.edges(tree).get("b@1.0.0")).containsExactly("d@1.0.0");
        assertThat(NodeGraphs.edges(tree).get("@scope/e@1.0.0")).containsExactly("a@1.0.0");
        assertThat(NodeGraphs.fact(tree, "testedFiles").asText()).isEqualTo("/srv/node_modules");
    }

    @Test
    void aLockfileProjectOwnsItsTreeButALockfileWithoutManifestDoesNot() {
        List<AppResult> results = NodeLayers.image()
                .file("/app/package.json", "{\"name\":\"app\",\"version\":\"1.0.0\",\"dependencies\":{\"a\":\"1\"}}")
                .file("/app/package-lock.json", "{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":{\"version\":\"1.0.0\"}}}")
                .pkg("/app/node_modules/a", "a", "1.0.0")
                .pkg("/app/node_modules/stray", "stray", "1.0.0")
                .file("/lonely/yarn.lock", "# yarn lockfile v1\n")
                .pkg("/lonely/node_modules/x", "x", "1.0.0")
                .analyze();
        assertThat(results).extracting(r -> r.type() + ":" + r.targetFile())
                .containsExactlyInAnyOrder("npm:/app/package.json", "npm:/lonely/node_modules");
        assertThat(NodeGraphs.packages(NodeGraphs.result(results, "npm", "/app/package.json")))
                .containsExactly("a@1.0.0");
        assertThat(NodeGraphs.fact(NodeGraphs.result(results, "npm", "/app/package.json"), "testedFiles").toString())
                .isEqualTo("[\"package.json\",\"package-lock.json\"]");
    }

    @Test
    void packageManagerCachesAreNotInstalledTrees() {
        List<AppResult> results = NodeLayers.image()
                .pkg("/root/.npm/_npx/1234/node_modules/a", "a", "1.0.0")
                .pkg("/home/u/.cache/yarn/v6/npm-b-1.0.0/node_modules/b", "b", "1.0.0")
                .pkg("/usr/src/app/.yarn/cache/node_modules/c", "c", "1.0.0")
                .pkg("/root/.local/share/pnpm/store/v3/node_modules/d", "d", "1.0.0")
                .pkg("/data/pnpm-store/node_modules/e", "e", "1.0.0")
                .analyze();
        assertThat(results).isEmpty();
    }

    @Test
    void anUnreadableUpperCopyHidesTheLowerOne() {
        NodeLayers image = NodeLayers.image()
                .pkg("/opt/node_modules/a", "a", "1.0.0")
                .pkg("/opt/node_modules/b", "b", "1.0.0")
                .layer()
                .file("/opt/node_modules/a/package.json", "{\"name\": \"a\", \"version\": ");
        AppResult tree = NodeGraphs.result(image.analyze(), "npm", "/opt/node_modules");
        assertThat(NodeGraphs.packages(tree)).containsExactly("b@1.0.0");
        assertThat(image.warnings()).anyMatch(w -> w.contains("/opt/node_modules/a/package.json"));
    }

    @Test
    void aTreeAtTheImageRootAndOneWithABrokenOwnerManifest() {
        NodeLayers image = NodeLayers.image()
                .pkg("/node_modules/a", "a", "1.0.0")
                .file("/broken/package.json", "{")
                .pkg("/broken/node_modules/b", "b", "1.0.0");
        List<AppResult> results = image.analyze();
        assertThat(results).extracting(AppResult::targetFile).containsExactly("/node_modules");
        assertThat(NodeGraphs.packages(results.get(0))).containsExactly("a@1.0.0");
        assertThat(image.warnings()).anyMatch(w -> w.startsWith("npm: skipped /broken/node_modules"));
    }

    @Test
    void excludingNodeModulesKeepsOnlyLockfileProjects() {
        List<AppResult> results = NodeLayers.image()
                .file("/app/package.json", "{\"name\":\"app\",\"dependencies\":{\"a\":\"1\"}}")
                .file("/app/yarn.lock", "a@1:\n  version \"1.0.0\"\n")
                .pkg("/usr/lib/node_modules/npm", "npm", "10.0.0")
                .analyze(new NpmAnalyzer(false));
        assertThat(results).extracting(r -> r.type() + ":" + r.targetFile()).containsExactly("yarn:/app/package.json");
        assertThat(new NpmAnalyzer(false).summarizers()).isEmpty();
    }
}
