package io.cragent.broker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.broker.link.Ejson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Request payloads on the wire (broker-protocol.md §3.1–3.2, §6) and CR_CREDENTIALS (§9). */
class WireAndCredentialsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void requestFromTheServer() throws Exception {
        JsonNode payload = Ejson.decode(json.readTree("{\"url\":\"/ctx/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/list?x=%2F\","
                + "\"method\":\"get\",\"headers\":{\"Accept\":\"*/*\",\"x-multi\":[\"a\",\"b\"],\"snyk-request-id\":\"nope\"},"
                + "\"body\":{\"$binary\":\"aGk=\"},\"streamingID\":\"sid\"}"));
        BrokerRequest request = WireRequests.fromServer(payload);
        assertThat(request.url()).isEqualTo("/list?x=%2F");
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.headers().get("accept")).containsExactly("*/*");
        assertThat(request.headers().get("x-multi")).containsExactly("a", "b");
        assertThat(request.requestId()).matches("[0-9a-f-]{36}").isNotEqualTo("nope");
        assertThat(request.header("snyk-request-id")).isEqualTo(request.requestId());
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(request.streamingId()).isEqualTo("sid");
    }

    @Test
    void oldServersSendBuffersOrStrings() throws Exception {
        BrokerRequest buffer = WireRequests.fromServer(json.readTree(
                "{\"url\":\"/scan\",\"method\":\"POST\",\"headers\":{},\"body\":{\"type\":\"Buffer\",\"data\":[104,105]}}"));
        assertThat(buffer.body()).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
        BrokerRequest text = WireRequests.fromServer(json.readTree(
                "{\"url\":\"/scan\",\"method\":\"POST\",\"headers\":{},\"body\":\"hi\"}"));
        assertThat(text.body()).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void callbackPayloadOmitsAnEmptyBody() {
        String id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        JsonNode payload = WireRequests.toServer(new BrokerRequest("POST", "/api/v2/import/done",
                Map.of("content-type", List.of("application/json")), null, "", id));
        assertThat(payload.has("body")).isFalse();
        assertThat(payload.get("streamingID").asText()).isEmpty();
        assertThat(payload.get("requestId").asText()).isEqualTo(id);
        assertThat(WireRequests.requestId(List.of(id))).isEqualTo(id);
    }

    @Test
    void credentialsEqualSnyksBytesWhenNothingNeedsEscaping() {
        String built = CrCredentials.from(Map.of("CR_TYPE", "docker-hub", "CR_USERNAME", "myuser",
                "CR_PASSWORD", "mypass", "CR_BASE", "registry.example.local"));
        assertThat(decode(built)).isEqualTo("{\"type\":\"docker-hub\", \"username\":\"myuser\", \"password\":\"mypass\","
                + " \"registryBase\":\"registry.example.local\"}\n");
        assertThat(decode(CrCredentials.from(Map.of("CR_TYPE", "ecr", "CR_ROLE_ARN", "arn:aws:iam::123456789012:role/R",
                "CR_REGION", "eu-west-1", "CR_EXTERNAL_ID", "ext-123"))))
                .isEqualTo("{\"type\":\"ecr\",\"roleArn\":\"arn:aws:iam::123456789012:role/R\","
                        + "\"extra\":{\"region\":\"eu-west-1\",\"externalId\":\"ext-123\"}}\n");
        assertThat(decode(CrCredentials.from(Map.of("CR_TYPE", "digitalocean-cr", "CR_TOKEN", "t", "CR_BASE", "b"))))
                .isEqualTo("{\"type\":\"digitalocean-cr\", \"username\":\"t\", \"password\":\"t\", \"registryBase\":\"b\"}\n");
    }

    @Test
    void credentialsEscapeQuotesBackslashesAndControlCharacters() throws Exception {
        String key = "{\"private_key\":\"-----BEGIN\\nKEY\"}\t";
        String built = CrCredentials.from(Map.of("CR_TYPE", "gcr", "CR_USERNAME", "_json_key", "CR_PASSWORD", key,
                "CR_BASE", "gcr.io"));
        assertThat(json.readTree(decode(built)).get("password").asText()).isEqualTo(key);
        assertThat(CrCredentials.from(Map.of("CR_CREDENTIALS", " preset "))).isEqualTo("preset");
        assertThat(CrCredentials.from(Map.of())).isNull();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
