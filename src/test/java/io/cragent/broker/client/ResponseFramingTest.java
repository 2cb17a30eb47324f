package io.cragent.broker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The /response-data head (broker-protocol.md §3.4) and the ws-response ack (§3.5). */
class ResponseFramingTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void headIsALittleEndianLengthAndAsciiJson() throws Exception {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        headers.put("set-cookie", List.of("a=1", "b=2"));
        headers.put("x-name", List.of("Zoë"));
        byte[] head = ResponseSender.head(new ClientResponse(403, headers, "DOWNSTREAM_FORBIDDEN", null));
        int length = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertThat(length).isEqualTo(head.length - 4);
        String text = new String(head, 4, length, StandardCharsets.US_ASCII);
        assertThat(text).contains("Zo\\u00EB").doesNotContain("ë");
        JsonNode parsed = json.readTree(text);
        assertThat(parsed.get("status").asInt()).isEqualTo(403);
        assertThat(parsed.get("errorType").asText()).isEqualTo("DOWNSTREAM_FORBIDDEN");
        assertThat(parsed.get("headers").get("set-cookie").size()).isEqualTo(2);
        assertThat(parsed.get("headers").get("x-name").asText()).isEqualTo("Zoë");
    }

    @Test
    void clientMadeResponsesHaveNoHeadersInTheHead() throws Exception {
        byte[] head = ResponseSender.head(ClientResponse.ofJson(502, "DOWNSTREAM_UNREACHABLE", "{}"));
        assertThat(json.readTree(new String(head, 4, head.length - 4, StandardCharsets.US_ASCII)))
                .isEqualTo(json.readTree("{\"status\":502,\"errorType\":\"DOWNSTREAM_UNREACHABLE\"}"));
    }

    @Test
    void ackCarriesTheBodyAsAStringAndTheRequestId() throws Exception {
        BrokerRequest request = new BrokerRequest("GET", "/list", Map.of(), null, "", "rid");
        JsonNode reply = ResponseSender.ackReply(request, new ClientResponse(200,
                Map.of("content-type", List.of("application/json")), null, null), stream("[\"a\"]"));
        assertThat(reply.get("status").asInt()).isEqualTo(200);
        assertThat(reply.get("body").asText()).isEqualTo("[\"a\"]");
        assertThat(reply.get("headers").get("snyk-request-id").asText()).isEqualTo("rid");
        assertThat(reply.get("headers").get("x-broker-ws-response").asText()).isEqualTo("true");
        assertThat(reply.has("errorType")).isFalse();
    }

    @Test
    void ackBodiesOverTwentyMegabytesBecomeBodyTooLarge() throws Exception {
        BrokerRequest request = new BrokerRequest("GET", "/list", Map.of(), null, "", "rid");
        byte[] big = new byte[ResponseSender.ACK_BODY_LIMIT + 10];
        JsonNode reply = ResponseSender.ackReply(request, new ClientResponse(200, Map.of(), null, null),
                new ByteArrayInputStream(big));
        assertThat(reply.get("status").asInt()).isEqualTo(502);
        assertThat(reply.get("errorType").asText()).isEqualTo("BODY_TOO_LARGE");
        assertThat(reply.get("body").get("message").asText())
                .isEqualTo("body size of 20971530 is greater than max allowed of 20971520 bytes");
    }

    @Test
    void classifiesAgentStatusesAsSnykDoes() {
        assertThat(ClientResponse.classify(200)).isNull();
        assertThat(ClientResponse.classify(404)).isNull();
        assertThat(ClientResponse.classify(401)).isEqualTo("DOWNSTREAM_UNAUTHORIZED");
        assertThat(ClientResponse.classify(403)).isEqualTo("DOWNSTREAM_FORBIDDEN");
        assertThat(ClientResponse.classify(429)).isEqualTo("DOWNSTREAM_RATE_LIMITED");
        assertThat(ClientResponse.classify(503)).isEqualTo("DOWNSTREAM_SERVER_ERROR");
        assertThat(ClientResponse.classify(400)).isEqualTo("DOWNSTREAM_UNEXPECTED");
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
