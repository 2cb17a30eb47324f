package io.cragent.broker.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.broker.substitution.DownstreamHeaders;
import io.cragent.broker.substitution.RequestSubstitution;
import io.cragent.broker.substitution.Variables;
import io.cragent.testsupport.Processes;
import io.cragent.testsupport.SnykBrokerInstall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The request corpus {@code broker/filter-corpus.json} run through snyk-broker 5.22.14's own filter, substitution
 * and header preparation (the npm package, driven by {@code bench/broker/filter-oracle.js}) and through ours.
 * Every case must agree on the decision (blocked, or allowed by the same rule with the same resolved origin and
 * auth) and, for allowed downstream requests, on the URL, headers and body sent to the origin. Cases marked
 * {@code differs} are the documented differences, and each asserts exactly what differs.
 */
class FilterParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST_ID = "00000000-0000-4000-8000-000000000001";

    private static JsonNode corpus;
    private static Map<String, JsonNode> snyk;
    private static String snykVersion;
    private static Path scratch;

    @BeforeAll
    static void runSnyk() throws IOException {
        Path corpusFile = Path.of("src/test/resources/broker/filter-corpus.json").toAbsolutePath();
        corpus = JSON.readTree(corpusFile.toFile());
        scratch = Files.createTempDirectory("filter-oracle");
        Path out = scratch.resolve("snyk-decisions.json");
        Processes.runChecked(Duration.ofMinutes(2),
                List.of("node", Path.of("bench/broker/filter-oracle.js").toAbsolutePath().toString(),
                        SnykBrokerInstall.directory().toString(), corpusFile.toString(), out.toString()),
                Map.of(), scratch);
        JsonNode output = JSON.readTree(out.toFile());
        snykVersion = output.get("version").asText();
        snyk = new HashMap<>();
        output.get("results").forEach(r -> snyk.put(r.get("id").asText(), r));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (scratch != null) {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void corpusIsLargeAndCoversEveryFamily() {
        assertThat(corpus.get("cases").size()).isGreaterThanOrEqualTo(150);
        assertThat(snyk).hasSize(corpus.get("cases").size());
        long allowed = snyk.values().stream().filter(r -> r.get("allowed").asBoolean()).count();
        assertThat(allowed).isBetween(50L, (long) snyk.size() - 50);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseAgreesWithSnyk() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : corpus.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("id").asText() + " " + c.get("method").asText() + " "
                    + c.get("url").asText(), () -> compare(c)));
        }
        return tests.stream();
    }

    private static void compare(JsonNode c) {
        JsonNode theirs = snyk.get(c.get("id").asText());
        assertThat(theirs).as("snyk result").isNotNull();
        JsonNode differs = c.get("differs");
        String list = c.path("list").asText("private");
        byte[] body = theirs.get("bodyText").isNull() ? null
                : theirs.get("bodyText").asText().getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = headers(c.get("headers"));
        Variables variables = Variables.of(env());
        AcceptRules rules = rules(c.get("accept").asText());
        RuleSet ruleSet = list.equals("public") ? rules.publicRules() : rules.privateRules();

        FilterDecision ours = ruleSet.match(new FilterRequest(c.get("method").asText(), c.get("url").asText(), headers, body),
                variables);

        if (differs != null && differs.has("ours")) {
            // The undefsafe quirk: snyk accepts through its side effect, we compare the value and block.
            assertThat(differs.get("kind").asText()).isEqualTo("undefsafe-quirk");
            assertThat(theirs.get("allowed").asBoolean()).as("snyk allows through the quirk").isTrue();
            assertThat(ours.allowed()).as("we block").isFalse();
            return;
        }
        assertThat(ours.allowed()).as("allowed").isEqualTo(theirs.get("allowed").asBoolean());
        if (!(ours instanceof FilterDecision.Allowed allowed)) {
            return;
        }
        assertThat(allowed.rule().index()).as("rule index").isEqualTo(theirs.get("index").asInt());
        if (!theirs.has("origin") && !theirs.has("substitutionError")) {
            return;
        }
        Variables requestVariables = variables.restrictedTo(Variables.DEFAULT_ALLOWED);
        RequestSubstitution.Result substituted = RequestSubstitution.apply(headers, body, requestVariables, true, true);
        byte[] newBody = substituted.body();
        DownstreamHeaders.Prepared prepared = DownstreamHeaders.prepare(allowed.targetUrl(c.get("url").asText()),
                substituted.headers(), allowed.authorization(), newBody == null ? 0 : newBody.length, REQUEST_ID,
                snykVersion, false);
        String ourBody = newBody == null ? null : new String(newBody, StandardCharsets.UTF_8);
        Map<String, String> ourHeaders = flat(prepared.headers());

        if (differs != null && differs.has("snykError")) {
            assertThat(theirs.get("substitutionError").asText()).isNotEmpty();
            assertThat(ourBody).isEqualTo(differs.get("oursBody").asText());
            return;
        }
        assertThat(allowed.origin()).as("origin").isEqualTo(theirs.get("origin").asText());
        assertThat(allowed.authorization()).as("auth")
                .isEqualTo(theirs.get("auth").isNull() ? null : theirs.get("auth").asText());
        JsonNode theirPrepared = theirs.get("prepared");
        Map<String, String> theirHeaders = new TreeMap<>();
        theirPrepared.get("headers").fields().forEachRemaining(e -> theirHeaders.put(e.getKey(), e.getValue().asText()));
        String theirBody = theirPrepared.get("body").isNull() ? null : theirPrepared.get("body").asText();
        assertThat(prepared.url()).as("url").isEqualTo(theirPrepared.get("url").asText());

        if (differs != null) {
            if (differs.has("oursBody")) {
                assertThat(ourBody).as("our body").isEqualTo(differs.get("oursBody").asText());
                assertThat(theirBody).as("snyk body").isEqualTo(differs.get("snykBody").asText());
                theirHeaders.remove("content-length");
                ourHeaders.remove("content-length");
            }
            if (differs.has("oursHeaders")) {
                differs.get("oursHeaders").fields().forEachRemaining(e -> {
                    assertThat(ourHeaders.remove(e.getKey())).as("our " + e.getKey()).isEqualTo(e.getValue().asText());
                    assertThat(theirHeaders.remove(e.getKey())).as("snyk " + e.getKey()).isEqualTo(
                            differs.get("snykHeaders").get(e.getKey()).asText());
                });
                assertThat(ourBody).as("body").isEqualTo(theirBody);
            }
            assertThat(ourHeaders).as("other headers").isEqualTo(theirHeaders);
            return;
        }
        assertThat(ourBody).as("body").isEqualTo(theirBody);
        assertThat(ourHeaders).as("headers").isEqualTo(theirHeaders);
    }

    @Test
    void everyDocumentedDifferenceIsExercised() {
        List<String> kinds = new ArrayList<>();
        corpus.get("cases").forEach(c -> {
            if (c.has("differs")) {
                kinds.add(c.get("differs").get("kind").asText());
            }
        });
        assertThat(kinds).contains("undefsafe-quirk", "substitution-allow-list", "header-name-case", "non-string-path");
        assertThat(kinds.stream().filter("undefsafe-quirk"::equals).count()).isGreaterThanOrEqualTo(6);
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        corpus.get("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    private static AcceptRules rules(String name) {
        JsonNode source = corpus.get("accept").get(name);
        return source.isTextual() ? AcceptRules.containerRegistryAgent() : AcceptRules.parse(source.toString(), name);
    }

    private static Map<String, List<String>> headers(JsonNode node) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> headers.put(e.getKey(), List.of(e.getValue().asText())));
        }
        return headers;
    }

    private static Map<String, String> flat(Map<String, List<String>> headers) {
        Map<String, String> flat = new TreeMap<>();
        headers.forEach((k, v) -> flat.put(k, String.join(", ", v)));
        return flat;
    }
}
