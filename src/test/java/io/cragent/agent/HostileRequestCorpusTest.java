package io.cragent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.agent.jobs.JobStore;
import io.cragent.testsupport.FaultyRegistry;
import io.cragent.testsupport.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the hostile request corpus ({@code src/test/resources/hostile/agent-requests.json}) against the running agent
 * over raw sockets, so that paths, methods and header bytes reach the server exactly as written. Every request must
 * get its JSON 4xx with its stable code, without the registry secret, without reaching the registry (a recording
 * fake behind valid credentials), and the agent must stay healthy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRequestCorpusTest extends AgentTestSupport {
    private static final String SECRET = "hostile-corpus-secret-9f3e";
    private static final String CALLBACK_BASE = "http://127.0.0.1:7341";

    private FaultyRegistry registry;
    private Map<String, String> values;

    @BeforeAll
    void startRegistry() {
        registry = FaultyRegistry.start("user", SECRET);
        override("cragent.registry.insecure-hosts", registry.hostPort());
        // Callbacks only to BROKER_CLIENT_URL's origin: the corpus tries every other one.
        override("cragent.callbacks.default-base", CALLBACK_BASE);
        override("cragent.callbacks.allowed-hosts", "");
        String creds = credentials("acr", "user", SECRET, registry.hostPort());
        values = new LinkedHashMap<>();
        values.put("${CREDS}", creds);
        values.put("${SECRET}", SECRET);
        values.put("${REGISTRY}", registry.hostPort());
        values.put("${IMAGE}", FaultyRegistry.REPOSITORY + ":" + FaultyRegistry.TAG);
        values.put("${REPO}", FaultyRegistry.REPOSITORY);
        values.put("${TAG}", FaultyRegistry.TAG);
    }

    @AfterAll
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyHostileRequestGetsItsJsonError() {
        return requests().stream().map(request -> DynamicTest.dynamicTest(request.label(), () -> check(request)));
    }

    @Test
    @Order(2) // last: its scan job calls the registry in the background
    void theSameCredentialsWorkWhenTheRequestIsFine() {
        // Proves the corpus's "no registry call" means refused, not unreachable.
        Answer answer = get("/image-metadata/" + FaultyRegistry.REPOSITORY + ":" + FaultyRegistry.TAG,
                values.get("${CREDS}"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(registry.requests()).isNotEmpty();
        Answer accepted = post("/scan", "{\"credentials\":\"" + values.get("${CREDS}") + "\",\"images\":[\""
                + values.get("${IMAGE}") + "\"],\"callbackUrl\":\"" + CALLBACK_BASE + "/api/v2/import/result\"}");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    }

    private void check(Request request) {
        registry.clearRequests();
        JobStore jobs = context.getRegistry().lookupByNameAndType("jobStore", JobStore.class);
        int jobsBefore = jobs.size();
        RawHttp.Response response = RawHttp.exchange(agentPort, request.head(), request.body(), 20_000);
        String what = request.label() + " → " + response.status() + " " + abbreviate(response.body());
        assertThat(response.status()).as(what).isEqualTo(request.status());
        assertThat(response.header("content-type")).as(what).startsWith("application/json");
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + what, e);
        }
        assertThat(json.path("ok").asBoolean(true)).as(what).isFalse();
        assertThat(json.path("error").path("code").asText()).as(what).isEqualTo(request.code());
        assertThat(response.body() + response.headers()).as(what).doesNotContain(SECRET)
                .doesNotContain(values.get("${CREDS}"));
        assertThat(jobs.size()).as("jobs after " + request.label()).isEqualTo(jobsBefore);
        assertThat(registry.requests()).as("registry calls after " + request.label()).isEmpty();
        assertThat(get("/healthcheck", null).status()).as("healthy after " + request.label()).isEqualTo(200);
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** One request of the corpus, placeholders filled in. */
    record Request(String label, String head, byte[] body, int status, String code) {
    }

    private List<Request> requests() {
        JsonNode corpus;
        try (InputStream in = getClass().getResourceAsStream("/hostile/agent-requests.json")) {
            corpus = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Request> requests = new ArrayList<>();
        for (JsonNode item : corpus.path("cases")) {
            List<String> methods = list(item, "method", "methods");
            List<String> paths = list(item, "path", "paths");
            List<JsonNode> headerSets = item.has("headersList") ? toList(item.get("headersList"))
                    : List.of(item.path("headers"));
            List<byte[]> bodies = bodies(item);
            int index = 0;
            for (String method : methods) {
                for (String path : paths) {
                    for (JsonNode headers : headerSets) {
                        for (byte[] body : bodies) {
                            String label = item.path("group").asText() + ": " + item.path("name").asText() + " #"
                                    + index++ + " (" + method + " " + abbreviate(fill(path)).replace("\r", "\\r") + ")";
                            requests.add(new Request(label, head(method, fill(path), headers, item, body), body,
                                    item.path("status").asInt(), item.path("code").asText(null)));
                        }
                    }
                }
            }
        }
        return requests;
    }

    private String head(String method, String path, JsonNode headers, JsonNode item, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(agentPort).append("\r\nConnection: close\r\n");
        boolean framed = false;
        for (var header : (Iterable<Map.Entry<String, JsonNode>>) headers::fields) {
            framed |= header.getKey().equalsIgnoreCase("Content-Length")
                    || header.getKey().equalsIgnoreCase("Transfer-Encoding");
            head.append(header.getKey()).append(": ").append(fill(header.getValue().asText())).append("\r\n");
        }
        for (int i = 0; i < item.path("headerCount").asInt(0); i++) {
            head.append("X-Pad-").append(i).append(": ").append("p".repeat(20)).append("\r\n");
        }
        for (JsonNode line : item.path("rawHeaderLines")) {
            head.append(line.asText()).append("\r\n");
        }
        if (!framed && body.length > 0) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return head.toString();
    }

    private List<byte[]> bodies(JsonNode item) {
        List<byte[]> bodies = new ArrayList<>();
        if (item.has("bodies")) {
            item.get("bodies").forEach(body -> bodies.add(utf8(fill(body.asText()))));
        } else if (item.has("bodyRepeat")) {
            JsonNode spec = item.get("bodyRepeat");
            StringBuilder text = new StringBuilder(fill(spec.path("prefix").asText()));
            String unit = fill(spec.path("unit").asText());
            for (int i = 0; i < spec.path("times").asInt(); i++) {
                text.append(unit.replace("${N}", String.valueOf(i)));
            }
            text.append(fill(spec.path("suffix").asText()));
            bodies.add(spec.path("chunked").asBoolean() ? chunked(utf8(text.toString())) : utf8(text.toString()));
        } else {
            bodies.add(utf8(fill(item.path("body").asText(""))));
        }
        return bodies;
    }

    private static byte[] chunked(byte[] body) {
        StringBuilder out = new StringBuilder();
        for (int at = 0; at < body.length; at += 65536) {
            int size = Math.min(65536, body.length - at);
            out.append(Integer.toHexString(size)).append("\r\n")
                    .append(new String(body, at, size, StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        return out.append("0\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Fills {@code ${NAME}}, {@code ${REPEAT:c:n}} and {@code ${B64:text}} (base64 of the filled text, up to the last brace; one per value). */
    private String fill(String text) {
        String filled = text;
        for (var value : values.entrySet()) {
            filled = filled.replace(value.getKey(), value.getValue());
        }
        filled = RawHttp.expandRepeats(filled);
        int start = filled.indexOf("${B64:");
        if (start >= 0) {
            int end = filled.lastIndexOf('}');
            String encoded = Base64.getEncoder().encodeToString(utf8(filled.substring(start + 6, end)));
            filled = filled.substring(0, start) + encoded + filled.substring(end + 1);
        }
        return filled;
    }

    private static List<String> list(JsonNode item, String one, String many) {
        if (item.has(many)) {
            return toList(item.get(many)).stream().map(JsonNode::asText).toList();
        }
        return List.of(item.path(one).asText());
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
