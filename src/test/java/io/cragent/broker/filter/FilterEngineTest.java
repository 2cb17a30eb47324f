package io.cragent.broker.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.broker.substitution.Variables;
import io.cragent.testsupport.SnykBrokerInstall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule feature of broker-protocol.md §4; FilterParityTest compares the whole against snyk. */
class FilterEngineTest {

    private static final Variables VARS = Variables.of(Map.of("CR_AGENT_URL", "http://127.0.0.1:17500", "T", "tok"));

    private static RuleSet rules(String privateJson) {
        return AcceptRules.parse("{\"private\":" + privateJson + "}", "test").privateRules();
    }

    private static boolean allows(RuleSet rules, String method, String url) {
        return rules.match(FilterRequest.of(method, url), VARS).allowed();
    }

    private static FilterRequest post(String url, String body, Map<String, List<String>> headers) {
        return new FilterRequest("POST", url, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void builtInCraRulesEqualSnyksShippedTemplate() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode template = json.readTree(SnykBrokerInstall.directory().resolve(
                "node_modules/snyk-broker/dist/client-templates/container-registry-agent/accept.json.sample").toFile());
        AcceptRules ours = AcceptRules.containerRegistryAgent();
        for (String list : List.of("private", "public")) {
            List<String> theirs = new ArrayList<>();
            template.get(list).forEach(r -> theirs.add(r.get("method").asText() + " " + r.get("path").asText() + " "
                    + r.path("origin").asText("-")));
            List<String> mine = new ArrayList<>();
            (list.equals("private") ? ours.privateRules() : ours.publicRules()).rules().forEach(r -> mine.add(
                    r.method().toUpperCase() + " " + r.path() + " " + (r.origin() == null ? "-" : r.origin())));
            assertThat(mine).as(list).isEqualTo(theirs);
        }
        assertThat(ours.json().get("private")).hasSize(10);
    }

    @Test
    void firstMatchingRuleWinsAndOriginIsResolved() {
        RuleSet set = rules("[{\"method\":\"GET\",\"path\":\"/a/*\",\"origin\":\"${CR_AGENT_URL}\"},"
                + "{\"method\":\"any\",\"path\":\"/*\",\"origin\":\"https://${T}.example\"}]");
        FilterDecision.Allowed first = (FilterDecision.Allowed) set.match(FilterRequest.of("GET", "/a/b"), VARS);
        assertThat(first.rule().index()).isZero();
        assertThat(first.targetUrl("/a/b?x=1")).isEqualTo("http://127.0.0.1:17500/a/b?x=1");
        FilterDecision.Allowed second = (FilterDecision.Allowed) set.match(FilterRequest.of("DELETE", "/a/b"), VARS);
        assertThat(second.rule().index()).isEqualTo(1);
        assertThat(second.origin()).isEqualTo("https://tok.example");
    }

    @Test
    void methodDefaultsToGetAndAnyMatchesEverything() {
        assertThat(allows(rules("[{\"path\":\"/x\"}]"), "GET", "/x")).isTrue();
        assertThat(allows(rules("[{\"path\":\"/x\"}]"), "POST", "/x")).isFalse();
        assertThat(allows(rules("[{\"method\":\"ANY\",\"path\":\"/x\"}]"), "PATCH", "/x")).isTrue();
    }

    @Test
    void pathsFollowPathToRegexp() {
        RuleSet set = rules("[{\"path\":\"/list/*\"},{\"path\":\"/repos/:owner/:repo\"},{\"path\":\"/dir/\"},"
                + "{\"path\":\"/files/:name.:ext\"}]");
        assertThat(allows(set, "GET", "/list/")).isTrue();
        assertThat(allows(set, "GET", "/LIST/a/b%2Fc")).isTrue();
        assertThat(allows(set, "GET", "/list")).isFalse();
        assertThat(allows(set, "GET", "/repos/a/b/")).isTrue();
        assertThat(allows(set, "GET", "/repos/a/b/c")).isFalse();
        assertThat(allows(set, "GET", "/dir")).isTrue();
        assertThat(allows(set, "GET", "/files/a.txt")).isTrue();
        assertThat(allows(set, "GET", "/files/a")).isFalse();
        assertThat(allows(set, "GET", "/list/a\nb")).as("* does not cross a line break").isFalse();
    }

    @Test
    void unnormalisedUrlsAreBlockedWhateverTheRule() {
        RuleSet set = rules("[{\"method\":\"any\",\"path\":\"/*\"}]");
        assertThat(allows(set, "GET", "/list/../v2/_catalog")).isFalse();
        assertThat(allows(set, "GET", "/list/./x")).isFalse();
        assertThat(allows(set, "GET", "/list//x")).isFalse();
        assertThat(allows(set, "GET", "/list?x=a//b")).isFalse();
        assertThat(allows(set, "GET", "")).isFalse();
        assertThat(allows(set, "GET", "/list/%2e%2e/x")).as("encoded dots are text").isTrue();
        assertThat(PosixPaths.normalize("/a/b/../c/./d//")).isEqualTo("/a/c/d/");
    }

    @Test
    void aRulePathTooLongForTheTokenizerIsARefusedRuleNotAStackOverflow() {
        // Found by fuzzing accept files: the path-to-regexp tokenizer recursed once per character.
        for (String path : new String[] {"/a(" + "b".repeat(200_000) + ")", "/a(" + "\\\\x".repeat(100_000)}) {
            assertThatThrownBy(() -> rules("[{\"path\":\"" + path + "\"}]")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void unsupportedSyntaxIsRefusedWhenLoading() {
        assertThatThrownBy(() -> rules("[{\"path\":\"/a/:id(\\\\d+)\"}]")).hasMessageContaining("custom capture");
        assertThatThrownBy(() -> rules("[{\"path\":\"/a/:id?\"}]")).hasMessageContaining("modifier");
        assertThatThrownBy(() -> rules("[{\"path\":\"/a\",\"valid\":[{\"queryParam\":\"q\",\"values\":[\"{a,b}\"]}]}]"))
                .hasMessageContaining("brace");
        assertThatThrownBy(() -> rules("[{\"path\":\"/a\",\"valid\":[{\"queryParam\":\"q\",\"values\":[\"+(a|b)\"]}]}]"))
                .hasMessageContaining("extglob");
        assertThatThrownBy(() -> rules("[{\"path\":\"/a\",\"valid\":[{\"path\":\"x\",\"regex\":\"(\"}]}]"))
                .hasMessageContaining("regex");
        assertThatThrownBy(() -> AcceptRules.parse("[]", "f.json")).hasMessageContaining("f.json");
        assertThatThrownBy(() -> AcceptRules.parse("{\"private\":{}}", "f.json")).hasMessageContaining("array");
    }

    @Test
    void queryValuesAreGlobsAndRepeatedParametersBlock() {
        RuleSet set = rules("[{\"path\":\"/s\",\"valid\":[{\"queryParam\":\"ref\",\"values\":[\"main\",\"release/*\",\"\"]}]},"
                + "{\"method\":\"any\",\"path\":\"/*\"}]");
        assertThat(set.match(FilterRequest.of("GET", "/s?ref=release/1.0"), VARS))
                .isInstanceOfSatisfying(FilterDecision.Allowed.class, a -> assertThat(a.rule().index()).isZero());
        assertThat(set.match(FilterRequest.of("GET", "/s"), VARS))
                .isInstanceOfSatisfying(FilterDecision.Allowed.class, a -> assertThat(a.rule().index()).isZero());
        assertThat(set.match(FilterRequest.of("GET", "/s?ref=release/1/x"), VARS))
                .isInstanceOfSatisfying(FilterDecision.Allowed.class, a -> assertThat(a.rule().index()).isEqualTo(1));
        FilterDecision repeated = set.match(FilterRequest.of("GET", "/s?ref=a&ref=b"), VARS);
        assertThat(repeated).isInstanceOfSatisfying(FilterDecision.Blocked.class,
                b -> assertThat(b.reason()).contains("'ref' is repeated or nested"));
        assertThat(Glob.compile("**/requirements/*.txt").matches("requirements/a.txt")).isTrue();
        assertThat(Glob.compile("*").matches("")).isFalse();
        assertThat(Glob.compile("!no*").matches("yes")).isTrue();
        assertThat(QueryString.parse("a[b]=1").get("a")).isSameAs(QueryString.NOT_A_STRING);
        assertThat(QueryString.parse("q=a%2Fb+c").get("q")).isEqualTo("a/b c");
        assertThat(QueryString.parse("q=%E0%A4%A").get("q")).isEqualTo("%E0%A4%A");
    }

    @Test
    void headerValuesMustBePresentAndExact() {
        RuleSet set = rules("[{\"method\":\"POST\",\"path\":\"/h\",\"valid\":[{\"header\":\"x-event\",\"values\":[\"push\"]}]}]");
        assertThat(set.match(post("/h", null, Map.of("x-event", List.of("push"))), VARS).allowed()).isTrue();
        assertThat(set.match(post("/h", null, Map.of("X-Event", List.of("push"))), VARS).allowed())
                .as("names are case-insensitive").isTrue();
        assertThat(set.match(post("/h", null, Map.of("x-event", List.of("Push"))), VARS).allowed()).isFalse();
        assertThat(set.match(post("/h", null, Map.of("x-event", List.of("push", "push"))), VARS).allowed()).isFalse();
        assertThat(set.match(post("/h", null, Map.of()), VARS).allowed()).isFalse();
    }

    @Test
    void bodyValuesAreComparedNotSetTheDocumentedQuirk() {
        RuleSet set = rules("[{\"method\":\"POST\",\"path\":\"/b\",\"valid\":[{\"path\":\"imageName\",\"value\":\"a\"},"
                + "{\"path\":\"list.*.n\",\"value\":2}]}]");
        assertThat(set.match(post("/b", "{\"imageName\":\"a\"}", Map.of()), VARS).allowed()).isTrue();
        assertThat(set.match(post("/b", "{\"list\":[{\"n\":1},{\"n\":2.0}]}", Map.of()), VARS).allowed()).isTrue();
        // snyk-broker allows these two (undefsafe sets the field and returns its old, truthy value): we block.
        assertThat(set.match(post("/b", "{\"imageName\":\"b\"}", Map.of()), VARS).allowed()).isFalse();
        assertThat(set.match(post("/b", "5", Map.of()), VARS).allowed()).isFalse();
        assertThat(set.match(post("/b", "not json", Map.of()), VARS).allowed()).isFalse();
    }

    @Test
    void bodyRegexUsesEcmaScriptSemantics() {
        RuleSet set = rules("[{\"method\":\"POST\",\"path\":\"/r\",\"valid\":[{\"path\":\"name\",\"regex\":\"^[a-z]+$\"}]}]");
        assertThat(set.match(post("/r", "{\"name\":\"abc\"}", Map.of()), VARS).allowed()).isTrue();
        assertThat(set.match(post("/r", "{\"name\":\"abc\\n\"}", Map.of()), VARS).allowed())
                .as("$ is the end of input, as in JavaScript").isFalse();
        assertThat(set.match(post("/r", "{}", Map.of()), VARS).allowed())
                .as("snyk tests the text 'undefined' here; we do not").isFalse();
        assertThat(JsRegex.compile("a\\sb").matcher("a\u00a0b").find()).isTrue();
        assertThat(JsRegex.compile("[^]").matcher("\n").find()).isTrue();
    }

    @Test
    void authHeadersFromRules() {
        Variables vars = Variables.of(Map.of("U", "robot", "P", "pw", "T", "tok"));
        RuleSet set = rules("[{\"path\":\"/b\",\"auth\":{\"scheme\":\"basic\",\"username\":\"${U}\",\"password\":\"${P}\"}},"
                + "{\"path\":\"/t\",\"auth\":{\"scheme\":\"bearer\",\"token\":\"${T}\"}}]");
        assertThat(((FilterDecision.Allowed) set.match(FilterRequest.of("GET", "/b"), vars)).authorization())
                .isEqualTo("Basic cm9ib3Q6cHc=");
        assertThat(((FilterDecision.Allowed) set.match(FilterRequest.of("GET", "/t"), vars)).authorization())
                .isEqualTo("Bearer tok");
        assertThatThrownBy(() -> rules("[{\"path\":\"/x\",\"auth\":{\"scheme\":\"digest\"}}]")).hasMessageContaining("scheme");
    }

    @Test
    void blockedResponseHasSnyksBody() {
        assertThat(BlockedResponse.downstream("/v2/_catalog").bodyJson()).isEqualTo(
                "{\"code\":\"FILTER_BLOCKED\",\"message\":\"blocked\",\"reason\":\"[Websocket Flow][Blocked Request] "
                        + "Does not match any accept rule\",\"url\":\"/v2/_catalog\"}");
        assertThat(BlockedResponse.upstream("/x").status()).isEqualTo(401);
        assertThat(BlockedResponse.upstream("/x").reason()).isEqualTo("Request does not match any accept rule, blocking HTTP request");
    }

    @Test
    void acceptFileComesFromAcceptOrTheBuiltInRules(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("accept.json");
        Files.writeString(file, "{\"public\":[{\"method\":\"POST\",\"path\":\"/cb\"}]}");
        AcceptRules custom = AcceptRules.fromEnvironment(Map.of("ACCEPT", file.toString()));
        assertThat(custom.privateRules().rules()).isEmpty();
        assertThat(custom.publicRules().rules()).hasSize(1);
        assertThat(AcceptRules.fromEnvironment(Map.of()).privateRules().rules()).hasSize(10);
        assertThatThrownBy(() -> AcceptRules.fromEnvironment(Map.of("ACCEPT", dir.resolve("none.json").toString())))
                .hasMessageContaining("cannot read accept file");
    }
}
