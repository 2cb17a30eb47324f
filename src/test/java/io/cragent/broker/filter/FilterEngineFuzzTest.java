package io.cragent.broker.filter;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cragent.broker.substitution.Variables;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing (Jazzer) of the accept-rule engine: untrusted requests against the CRA rules and against
 * rules using every kind of {@code valid} entry must always get a decision (never an exception or a hang), and an
 * accept file, however broken, loads or is refused with {@link IllegalArgumentException}. Seeds and past findings:
 * {@code src/test/resources/io/cragent/broker/filter/FilterEngineFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes one
 * method for its {@code maxDuration}.
 */
class FilterEngineFuzzTest {
    private static final Variables VARS = Variables.of(Map.of("CR_AGENT_URL", "http://127.0.0.1:17500", "T", "tok"));
    private static final RuleSet CRA = AcceptRules.containerRegistryAgent().privateRules();
    private static final RuleSet VALID = AcceptRules.parse("{\"private\":["
            + "{\"method\":\"post\",\"path\":\"/scan\",\"valid\":[{\"path\":\"images.*.name\",\"value\":\"a\"},"
            + "{\"path\":\"orgId\",\"regex\":\"^[a-f0-9-]{36}$\"}]},"
            + "{\"method\":\"get\",\"path\":\"/list/:repo\",\"valid\":[{\"queryParam\":\"page\",\"values\":[\"*\",\"\"]},"
            + "{\"header\":\"x-snyk\",\"values\":[\"1\"]}]},"
            + "{\"method\":\"any\",\"path\":\"/files/:name.:ext\",\"origin\":\"${CR_AGENT_URL}\","
            + "\"auth\":{\"scheme\":\"bearer\",\"token\":\"${T}\"}}]}", "fuzz").privateRules();
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "get", "ANY", "");

    @FuzzTest(maxDuration = "10s")
    void requests(FuzzedDataProvider data) {
        String method = data.pickValue(METHODS);
        String url = data.consumeString(300);
        String header = data.consumeString(40);
        byte[] body = data.consumeRemainingAsBytes();
        FilterRequest request = new FilterRequest(method, url, Map.of("x-snyk", List.of(header)), body);
        for (RuleSet rules : List.of(CRA, VALID)) {
            FilterDecision decision = rules.match(request, VARS);
            assertThat(decision).isNotNull();
            if (decision.allowed() && rules == CRA) {
                assertThat(url).as("the CRA rules allow only normalised paths").doesNotContain("/../", "//");
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    void acceptFile(byte[] text) {
        AcceptRules rules;
        try {
            rules = AcceptRules.parse(new String(text, StandardCharsets.UTF_8), "fuzz");
        } catch (IllegalArgumentException refused) {
            return;
        }
        for (String url : List.of("/list/a", "/scan", "/api/v2/import/done?x=1", "/a/b.c")) {
            rules.privateRules().match(new FilterRequest("POST", url, Map.of(), "{\"a\":[1]}".getBytes(StandardCharsets.UTF_8)), VARS);
            rules.publicRules().match(FilterRequest.of("GET", url), VARS);
        }
    }
}
