package io.cragent.registry.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengeTest {

    @Test
    void readsDistributionBearerChallenge() {
        List<Challenge> all = Challenge.parseAll(List.of(
                "Bearer realm=\"https://127.0.0.1:5600/token\",service=\"test-registry\",scope=\"repository:app/web:pull\""));
        assertThat(all).hasSize(1);
        Challenge c = all.get(0);
        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).contains("https://127.0.0.1:5600/token");
        assertThat(c.param("service")).contains("test-registry");
        assertThat(c.param("scope")).contains("repository:app/web:pull");
    }

    @Test
    void splitsSeveralChallengesInOneHeaderAndPrefersBearer() {
        String header = "Basic realm=\"basic, with comma\", Bearer realm=\"https://auth.example.com/token\", "
                + "service=\"registry.example.com\", error=\"insufficient_scope\"";
        List<Challenge> all = Challenge.parseAll(List.of(header));
        assertThat(all).extracting(Challenge::scheme).containsExactly("Basic", "Bearer");
        assertThat(all.get(0).param("realm")).contains("basic, with comma");
        Challenge preferred = Challenge.preferred(List.of(header)).orElseThrow();
        assertThat(preferred.isBearer()).isTrue();
        assertThat(preferred.param("error")).contains("insufficient_scope");
    }

    @Test
    void handlesEscapesCaseAndBareValues() {
        List<Challenge> all = Challenge.parseAll(List.of("bearer REALM=https://r.example.com/t,service=\"a\\\"b\""));
        assertThat(all.get(0).isBearer()).isTrue();
        assertThat(all.get(0).param("realm")).contains("https://r.example.com/t");
        assertThat(all.get(0).param("service")).contains("a\"b");
    }

    @Test
    void readsChallengesSpreadOverHeadersAndFallsBackToBasic() {
        assertThat(Challenge.preferred(List.of("Basic realm=\"basic-realm\"")).orElseThrow().isBasic()).isTrue();
        assertThat(Challenge.parseAll(List.of("Basic realm=\"a\"", "Bearer realm=\"b\""))).hasSize(2);
        assertThat(Challenge.preferred(List.of("", ",,,"))).isEmpty();
    }
}
