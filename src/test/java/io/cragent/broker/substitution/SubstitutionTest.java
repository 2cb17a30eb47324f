package io.cragent.broker.substitution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubstitutionTest {

    private static final Variables ALL = Variables.of(Map.of("CR_CREDENTIALS", "eyJ", "BROKER_CLIENT_URL",
            "http://127.0.0.1:7341", "BROKER_TOKEN", "secret", "CR_X_POOL", "a, b"));
    private static final Variables REQUEST = ALL.restrictedTo(Variables.DEFAULT_ALLOWED);

    @Test
    void placeholdersAreShortestMatchesAndUnknownNamesAreEmpty() {
        assertThat(ALL.replace("${CR_CREDENTIALS}/${NOPE}${BROKER_CLIENT_URL}")).isEqualTo("eyJ/http://127.0.0.1:7341");
        assertThat(ALL.replace("${A\n}")).isEqualTo("${A\n}");
        assertThat(ALL.replace(null)).isEmpty();
    }

    @Test
    void poolsAreUsedRoundRobin() {
        assertThat(List.of(ALL.replace("${CR_X}"), ALL.replace("${CR_X}"), ALL.replace("${CR_X}"))).containsExactly("a", "b", "a");
    }

    @Test
    void requestTextMayOnlyNameAllowedVariables() {
        assertThat(REQUEST.replace("${BROKER_TOKEN}")).isEmpty();
        assertThat(ALL.replace("${BROKER_TOKEN}")).isEqualTo("secret");
        assertThat(REQUEST.replace("${CR_CREDENTIALS}")).isEqualTo("eyJ");
    }

    @Test
    void bodySubstitutionReplacesListedPathsAndDropsTheList() {
        String body = "{\"BROKER_VAR_SUB\":[\"c\",\"n.u\",\"num\"],\"c\":\"${CR_CREDENTIALS}\",\"n\":{\"u\":\"${BROKER_CLIENT_URL}/x\"},"
                + "\"other\":\"${CR_CREDENTIALS}\",\"num\":1.50}";
        byte[] out = RequestSubstitution.apply(Map.of(), body.getBytes(StandardCharsets.UTF_8), REQUEST, true, false).body();
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo(
                "{\"c\":\"eyJ\",\"n\":{\"u\":\"http://127.0.0.1:7341/x\"},\"other\":\"${CR_CREDENTIALS}\",\"num\":1.50}");
        byte[] untouched = "{ \"a\" : 1 }".getBytes(StandardCharsets.UTF_8);
        assertThat(RequestSubstitution.apply(Map.of(), untouched, REQUEST, true, true).body()).isSameAs(untouched);
        assertThat(RequestSubstitution.apply(Map.of(), body.getBytes(StandardCharsets.UTF_8), REQUEST, false, true).body())
                .asString(StandardCharsets.UTF_8).contains("BROKER_VAR_SUB");
    }

    @Test
    void headerSubstitutionOnlyInListedHeaders() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("authorization", List.of("${CR_CREDENTIALS}"));
        headers.put("x-other", List.of("${CR_CREDENTIALS}"));
        headers.put("x-broker-var-sub", List.of("Authorization"));
        Map<String, List<String>> out = RequestSubstitution.apply(headers, null, REQUEST, true, true).headers();
        assertThat(out.get("authorization")).containsExactly("eyJ");
        assertThat(out.get("x-other")).containsExactly("${CR_CREDENTIALS}");
        assertThat(out.get("x-broker-var-sub")).containsExactly("Authorization");
    }

    @Test
    void downstreamHeadersAreStrippedAndAdded() {
        Map<String, List<String>> in = new LinkedHashMap<>();
        in.put("Host", List.of("broker.snyk.io"));
        in.put("x-forwarded-for", List.of("1.2.3.4"));
        in.put("snyk-acting-org-public-id", List.of("org"));
        in.put("snyk-request-id", List.of("r1"));
        in.put("user-agent", List.of("saas"));
        in.put("x-forwarded-client", List.of("kept"));
        DownstreamHeaders.Prepared p = DownstreamHeaders.prepare("http://127.0.0.1:17500/list", in, null, 0, "r1", "5.22.14", false);
        assertThat(p.headers()).doesNotContainKeys("host", "x-forwarded-for", "snyk-acting-org-public-id");
        assertThat(p.headers()).containsEntry("x-request-id", List.of("r1")).containsEntry("x-broker-origin-ua", List.of("saas"))
                .containsEntry("user-agent", List.of("Snyk Broker Client 5.22.14")).containsEntry("content-length", List.of("0"))
                .containsEntry("x-forwarded-client", List.of("kept"));
        assertThat(DownstreamHeaders.prepare("http://h/x", in, null, 0, "r1", "v", true).headers()).doesNotContainKey("x-forwarded-client");
        DownstreamHeaders.Prepared token = DownstreamHeaders.prepare("https://tok@git.example.com/x", Map.of(), null, 0, "r", "v", false);
        assertThat(token.url()).isEqualTo("https://git.example.com/x");
        assertThat(token.headers().get("authorization")).containsExactly("token tok");
    }
}
