package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.testsupport.ReferenceScanner;
import io.cragent.testsupport.SharedFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The node-related public archives: same npm/pnpm targets, package ids, roots and testedFiles as the reference. */
class NpmSharedArchivesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "npm7-with-package-lock-file.tar, linux/amd64, npm:/goof/package.json, 64",
            "pnpm-lock-v9.tar, linux/arm64, pnpm:/app/package.json, 2",
            "skopeo-node-removed.tar, linux/amd64, , 0",
    })
    void matchesTheReference(String archive, String platform, String target, int packages) throws Exception {
        Path file = SharedFixtures.archive(archive);
        JsonNode theirs = ReferenceScanner.installed().scan(file.toString(), Map.of("platform", platform));
        JsonNode ours = NodeComparison.scanOurs(file, platform);

        Map<String, NodeComparison.View> expected = NodeComparison.views(theirs);
        Map<String, NodeComparison.View> actual = NodeComparison.views(ours);
        assertThat(actual).isEqualTo(expected);
        if (target == null) {
            assertThat(actual).isEmpty();
        } else {
            assertThat(actual).containsOnlyKeys(target);
            assertThat(actual.get(target).packages()).hasSize(packages);
            assertThat(actual.get(target).ownFacts()).containsExactly("depGraph", "testedFiles");
        }
    }
}
