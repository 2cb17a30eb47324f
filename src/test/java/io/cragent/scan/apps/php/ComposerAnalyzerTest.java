package io.cragent.scan.apps.php;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.ScanReport;
import io.cragent.scan.apps.python.AppImages;
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

import static io.cragent.scan.apps.python.AppImages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** composer against snyk-docker-plugin 9.20.2, and malformed pairs (which would fail the reference's whole scan). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposerAnalyzerTest {
    static final String MANIFEST = """
            {"name": "acme/app", "version": "v3.1.0",
             "require": {"php": ">=7.4", "ext-json": "*", "monolog/monolog": "^2.0", "guzzlehttp/guzzle": "^7.0",
                         "Acme/Unlocked": "^1.0", "cyc/a": "^1"},
             "require-dev": {"phpunit/phpunit": "^9"}}
            """;
    static final String LOCK = """
            {"content-hash": "abc",
             "packages": [
               {"name": "monolog/monolog", "version": "2.9.1",
                "require": {"php": ">=7.2", "psr/log": "^1.0.1 || ^2.0 || ^3.0"}},
               {"name": "psr/log", "version": "1.1.4", "require": {"php": ">=5.3.0"}},
               {"name": "guzzlehttp/guzzle", "version": "7.8.0",
                "require": {"php": "^7.2.5 || ^8.0", "guzzlehttp/promises": "^2.0", "psr/log": "^1.0"}},
               {"name": "guzzlehttp/promises", "version": "dev-main",
                "extra": {"branch-alias": {"dev-main": "2.0-dev"}}},
               {"name": "cyc/a", "version": "v1.2.3", "require": {"cyc/b": "^1"}},
               {"name": "cyc/b", "version": "1.0.0", "require": {"cyc/a": "^1"}},
               {"name": "not/required", "version": "9.9.9"}
             ],
             "packages-dev": [{"name": "phpunit/phpunit", "version": "9.6.0"}]}
            """;

    private JsonNode theirs;
    private ScanReport ours;

    @BeforeAll
    void scanBoth(@TempDir Path dir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("var/www/app/composer.json", utf8(MANIFEST));
        files.put("var/www/app/composer.lock", utf8(LOCK));
        files.put("srv/nolock/composer.json", utf8(MANIFEST));
        files.put("srv/nopackages/composer.json", utf8("{\"require\": {\"a/b\": \"1\"}}"));
        files.put("srv/nopackages/composer.lock", utf8("{\"content-hash\": \"x\"}"));
        files.put("srv/unnamed/composer.json", utf8("{\"require\": {\"psr/log\": \"^1\"}}"));
        files.put("srv/unnamed/composer.lock", utf8("{\"packages\": [{\"name\": \"psr/log\", \"version\": \"1.1.4\"}]}"));
        Path archive = AppImages.archive(dir, "composer", files);
        theirs = AppImages.reference(archive);
        ours = AppImages.ours(archive, List.of(new ComposerAnalyzer()));
    }

    @Test
    void packagesAndTargetsEqualTheReference() {
        Map<String, Set<String>> want = AppImages.packages(theirs, k -> k.startsWith("composer:"));
        assertThat(want.keySet()).containsExactly("composer:/srv/unnamed/composer.lock",
                "composer:/var/www/app/composer.lock");
        assertThat(want.get("composer:/var/www/app/composer.lock")).contains("php@>=7.4", "php@>=7.2",
                "ext-json@*", "guzzlehttp/promises@2.0-dev", "cyc/a@1.2.3", "Acme/Unlocked@^1.0")
                .doesNotContain("phpunit/phpunit@9.6.0", "not/required@9.9.9");
        assertThat(AppImages.packages(ours.pluginResponse(), k -> k.startsWith("composer:"))).isEqualTo(want);
    }

    @Test
    void rootsAndFactsEqualTheReference() {
        for (String key : List.of("composer:/var/www/app/composer.lock", "composer:/srv/unnamed/composer.lock")) {
            JsonNode mine = ScanResults.result(ours.pluginResponse(), key);
            JsonNode ref = ScanResults.result(theirs, key);
            assertThat(ScanResults.rootPkgId(ScanResults.fact(mine, "depGraph")))
                    .isEqualTo(ScanResults.rootPkgId(ScanResults.fact(ref, "depGraph")));
            assertThat(ScanResults.fact(mine, "testedFiles")).isEqualTo(ScanResults.fact(ref, "testedFiles"));
            assertThat(ScanResults.factTypes(ours.pluginResponse()).get(key).subList(0, 3))
                    .isEqualTo(ScanResults.factTypes(theirs).get(key).subList(0, 3));
        }
        assertThat(ScanResults.rootPkgId(ScanResults.fact(ScanResults.result(ours.pluginResponse(),
                "composer:/var/www/app/composer.lock"), "depGraph"))).isEqualTo("acme/app@v3.1.0");
    }

    @Test
    void versionsFollowBranchAliasesAsTheParserDoes() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(ComposerProject.version(json.readTree(
                "{\"version\": \"dev-main\", \"extra\": {\"branch-alias\": {\"dev-main\": \"2.0-dev\"}}}")))
                .isEqualTo("2.0-dev");
        assertThat(ComposerProject.version(json.readTree(
                "{\"version\": \"dev-2.x\", \"extra\": {\"branch-alias\": {\"dev-master\": \"2.x\"}}}")))
                .isEqualTo("2.x");
        assertThat(ComposerProject.version(json.readTree(
                "{\"extra\": {\"branch-alias\": {\"dev-master\": \"3.x-dev\"}}}"))).isEqualTo("3.x-dev");
        assertThat(ComposerProject.version(json.readTree("{\"version\": \"v1.0.0\"}"))).isEqualTo("v1.0.0");
        assertThat(ComposerProject.version(json.readTree("{}"))).isNull();
    }

    @Test
    void malformedPairsAreSkippedWithAWarning(@TempDir Path dir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a/composer.json", utf8(MANIFEST));
        files.put("a/composer.lock", utf8("{\"packages\": [ {\"name\": "));
        files.put("b/composer.json", utf8("[1, 2]"));
        files.put("b/composer.lock", utf8(LOCK));
        files.put("c/composer.json", utf8(MANIFEST));
        files.put("c/composer.lock", utf8("{\"packages\": {\"not\": \"an array\"}}"));
        files.put("d/composer.json", utf8("{\"require\": {\"psr/log\": null, \"x/y\": 5}}"));
        files.put("d/composer.lock", utf8("{\"packages\": [{\"name\": \"psr/log\"}, 7, null]}"));
        ScanReport report = AppImages.ours(AppImages.archive(dir, "broken-composer", files),
                List.of(new ComposerAnalyzer()));
        Map<String, Set<String>> got = AppImages.packages(report.pluginResponse(), k -> k.startsWith("composer:"));
        assertThat(got).containsOnlyKeys("composer:/d/composer.lock");
        assertThat(got.get("composer:/d/composer.lock")).containsExactly("x/y@5");
        assertThat(report.warnings()).filteredOn(w -> w.startsWith("composer: skipped")).hasSize(3);
    }
}
