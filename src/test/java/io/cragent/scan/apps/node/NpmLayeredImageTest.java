package io.cragent.scan.apps.node;

import io.cragent.testsupport.ReferenceScanner;
import io.cragent.testsupport.TarLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One image with every kind of node project we read (package-lock v1/v2/v3, yarn classic and berry, pnpm v5/v6,
 * installed trees with and without a package.json, a pnpm store, cycles, broken lockfiles), scanned by us and by
 * snyk-docker-plugin 9.20.2. Layer 3 makes {@code /usr/local/lib/node_modules} opaque and re-adds lodash
 * (scanning.md §10): the one deliberate difference, because the reference ignores opaque whiteouts (§9 row 1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NpmLayeredImageTest {
    private static final String GLOBAL = "npm:/usr/local/lib/node_modules";

    private Map<String, NodeComparison.View> ours;
    private Map<String, NodeComparison.View> theirs;

    @BeforeAll
    void scanWithBothScanners(@TempDir Path work) throws Exception {
        TarLayer.Built projects = NodeTestImage.fromResources("fixtures/apps/node/image/layer2").build();
        TarLayer.Built opaque = NodeTestImage.fromResources("fixtures/apps/node/image/layer3")
                .file("usr/local/lib/node_modules/.wh..wh..opq", "").build();
        Path archive = NodeTestImage.dockerArchive(work, "node-projects", List.of(projects, opaque));
        theirs = NodeComparison.views(ReferenceScanner.installed().scan("docker-archive:" + archive, Map.of()));
        ours = NodeComparison.views(NodeComparison.scanOurs(archive, "linux/amd64"));
    }

    @Test
    void sameTargetsAsTheReference() {
        assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(theirs.keySet());
        assertThat(ours.keySet()).containsExactlyInAnyOrder(
                "npm:/app/package.json", "npm:/npm1-app/package.json", "npm:/npm2-app/package.json",
                "yarn:/yarn-app/package.json", "yarn:/berry-app/package.json", "pnpm:/pnpm5-app/package.json",
                "pnpm:/pnpm6-app/package.json", "npm:/opt/cyclic/package.json", "npm:/srv/tool/package.json",
                "npm:/opt/bare/node_modules", "pnpm:/opt/store/package.json", GLOBAL,
                "pnpm:/pnpm9-ws/package.json", "pnpm:/pnpm11-app/package.json", "npm:/npm3-ws/package.json",
                "yarn:/berry-res/package.json");
    }

    @Test
    void samePackagesRootsAndTestedFilesExceptTheOpaqueDirectory() {
        Map<String, NodeComparison.View> expected = new LinkedHashMap<>(theirs);
        Map<String, NodeComparison.View> actual = new LinkedHashMap<>(ours);
        expected.remove(GLOBAL);
        actual.remove(GLOBAL);
        actual.forEach((key, view) -> assertThat(view).as(key).isEqualTo(expected.get(key)));
        assertThat(actual.values()).allSatisfy(v -> assertThat(v.ownFacts()).containsExactly("depGraph", "testedFiles"));
    }

    @Test
    void opaqueWhiteoutHidesTheLowerGlobalPackages() {
        NodeComparison.View mine = ours.get(GLOBAL);
        NodeComparison.View reference = theirs.get(GLOBAL);
        assertThat(mine.packages()).containsExactly("lodash@4.17.21");
        assertThat(reference.packages())
                .containsExactlyInAnyOrder("lodash@4.17.21", "semver@7.5.1", "lru-cache@6.0.0", "yallist@4.0.0");
        assertThat(mine.root()).isEqualTo(reference.root()).isEqualTo("lib@");
        assertThat(mine.testedFiles()).isEqualTo(reference.testedFiles());
        assertThat(mine.testedFiles().asText()).isEqualTo("/usr/local/lib/node_modules");
    }

    @Test
    void appProjectMatchesTheSpecImage() {
        NodeComparison.View app = ours.get("npm:/app/package.json");
        assertThat(app.root()).isEqualTo("app@1.0.0");
        assertThat(app.packages()).containsExactlyInAnyOrder("which@2.0.2", "isexe@2.0.0", "ms@2.1.3", "lodash@4.17.20");
        assertThat(app.testedFiles().toString()).isEqualTo("[\"package.json\",\"package-lock.json\"]");
    }

    @Test
    void devOnlyPackagesOfAnInstalledTreeAreLeftOut() {
        Set<String> tool = ours.get("npm:/srv/tool/package.json").packages();
        assertThat(tool).containsExactlyInAnyOrder("chalk-lite@1.0.0", "ansi-x@1.0.0", "stray@1.0.0", "stray-dep@1.0.0");
    }
}
