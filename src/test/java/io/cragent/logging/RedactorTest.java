package io.cragent.logging;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

    @Test
    void masksCredentialHeadersAndFieldsWhateverTheirForm() {
        String crCredentials = Base64.getEncoder().encodeToString(
                "{\"type\":\"harbor-cr\",\"password\":\"p\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(Redactor.redact("Headers: {Accept=*/*, Authorization=Bearer abc.def-123, Host=h}"))
                .isEqualTo("Headers: {Accept=*/*, Authorization=***, Host=h}");
        assertThat(Redactor.redact("authorization: " + crCredentials)).isEqualTo("authorization: ***");
        assertThat(Redactor.redact("{\"credentials\":\"" + crCredentials + "\",\"images\":[\"a:1\"]}"))
                .isEqualTo("{\"credentials\":\"***\",\"images\":[\"a:1\"]}");
        assertThat(Redactor.redact("{\"username\":\"u\",\"password\":\"hunter2\"}"))
                .isEqualTo("{\"username\":\"u\",\"password\":\"***\"}");
        assertThat(Redactor.redact("x-broker-token=0b1c2d3e, X-Amz-Security-Token: FwoGZX"))
                .isEqualTo("x-broker-token=***, X-Amz-Security-Token: ***");
        assertThat(Redactor.redact("sent Basic dXNlcjpwYXNz to the registry")).isEqualTo("sent Basic *** to the registry");
        assertThat(Redactor.redact("a JWT eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln here")).isEqualTo("a JWT *** here");
        assertThat(Redactor.redact("key AKIAIOSFODNN7EXAMPLE used")).isEqualTo("key *** used");
    }

    @Test
    void masksTheUserAndPasswordOfUrls() {
        assertThat(Redactor.redact("cragent.proxy.https=http://svc:p%40ss@proxy.corp:3128 and http://a:b@c@h/x?y=z@w"))
                .isEqualTo("cragent.proxy.https=http://***@proxy.corp:3128 and http://***@h/x?y=z@w");
        assertThat(Redactor.redact("GET https://registry.example/v2/ as user@example.com"))
                .isEqualTo("GET https://registry.example/v2/ as user@example.com");
    }

    @Test
    void masksBrokerTokensInPaths() {
        assertThat(Redactor.redact("POST http://s/broker/7f1c-aa/scan and /primus/7f1c-aa/?x and /response-data/7f1c-aa/id"))
                .isEqualTo("POST http://s/broker/***/scan and /primus/***/?x and /response-data/***/id");
    }

    @Test
    void masksRememberedSecretsAnywhereButKeepsOrdinaryText() {
        Redactor.remember("pa ss\"wörd with spaces");
        assertThat(Redactor.redact("decoded pa ss\"wörd with spaces!")).isEqualTo("decoded ***!");
        Redactor.remember("ab");
        assertThat(Redactor.redact("GET /v2/team/app/tags/list 200 in 12 ms (ab)"))
                .isEqualTo("GET /v2/team/app/tags/list 200 in 12 ms (ab)");
        assertThat(Redactor.redact(null)).isNull();
    }
}
