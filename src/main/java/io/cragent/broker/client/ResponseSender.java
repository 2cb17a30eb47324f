package io.cragent.broker.client;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.broker.link.LinkSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sends a downstream response back to the server in the {@link ResponseMode} of the request (broker-protocol.md
 * §3.3): as the ack of a ws-response request (§3.5), streamed by {@code POST /response-data/<token>/<streamingID>}
 * with the length-prefixed head (§3.4), or as legacy {@link ChunkEvents} to a server without post streams (§3.6).
 * Responses the client makes itself (blocked, unreachable, …) go the same way.
 */
public final class ResponseSender {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseSender.class);
    public static final String STREAM_CONTENT_TYPE = "application/vnd.broker.stream+octet-stream";
    static final int ACK_BODY_LIMIT = 20 * 1024 * 1024;
    /** Upload chunk size: what node reads at once from a socket. */
    private static final int CHUNK = 64 * 1024;
    private static final Pattern STREAMING_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final List<String> CORRELATION = List.of("Snyk-acting-org-public-id",
            "Snyk-acting-group-public-id", "Snyk-product-line", "Snyk-flow-name");
    /** ASCII only, so that snyk's character count of the head equals its byte count. */
    private static final ObjectMapper ASCII_JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final LinkSettings link;
    private final BlockingConnections uploads;
    private final Duration postTimeout;
    private final int connectRetries;
    private final Duration retryDelay;
    private final ChunkEvents chunkEvents;

    public ResponseSender(LinkSettings link, BlockingConnections uploads, Duration postTimeout, int connectRetries,
                          Duration retryDelay) {
        this.link = link;
        this.uploads = uploads;
        this.postTimeout = postTimeout;
        this.connectRetries = connectRetries;
        this.retryDelay = retryDelay;
        this.chunkEvents = new ChunkEvents(postTimeout);
    }

    public void send(InboundRequest inbound, ClientResponse response) throws IOException, InterruptedException {
        try (InputStream body = response.body()) {
            switch (ResponseMode.of(inbound)) {
                case ACK -> ack(inbound, response, body);
                case POST_STREAM -> post(inbound, response, body);
                case CHUNK_EVENTS -> chunkEvents.send(inbound.socket()::emit, inbound.request().streamingId(),
                        headObject(response), body, inbound.request().requestId());
                case UNANSWERABLE -> LOG.error("request {} came with neither an ack id nor a streamingID: its answer"
                        + " has nowhere to go", inbound.request().requestId());
            }
        }
    }

    /** {@code {"status":…,"headers":{…},"errorType":…}}: headers only from the agent, errorType when classified. */
    static ObjectNode headObject(ClientResponse response) {
        ObjectNode head = Json.MAPPER.createObjectNode().put("status", response.status());
        if (response.headers() != null) {
            head.set("headers", headerObject(response.headers()));
        }
        if (response.errorType() != null) {
            head.put("errorType", response.errorType());
        }
        return head;
    }

    /** The length-prefixed head: {@code N} (uint32 LE) and {@code N} bytes of ASCII JSON. */
    public static byte[] head(ClientResponse response) {
        byte[] json;
        try {
            json = ASCII_JSON.writeValueAsBytes(headObject(response));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ByteBuffer.allocate(4 + json.length).order(ByteOrder.LITTLE_ENDIAN).putInt(json.length).put(json).array();
    }

    /** The single ack of ws-response mode, its body a string, at most 20 MiB. */
    public static ObjectNode ackReply(BrokerRequest request, ClientResponse response, InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(ACK_BODY_LIMIT + 1);
        ObjectNode reply = Json.MAPPER.createObjectNode();
        ObjectNode headers = response.headers() == null ? Json.MAPPER.createObjectNode()
                : headerObject(response.headers());
        headers.put("snyk-request-id", request.requestId());
        if (!headers.has("x-broker-ws-response")) {
            headers.put("x-broker-ws-response", "true");
        }
        if (bytes.length > ACK_BODY_LIMIT) {
            long size = bytes.length + drain(body);
            reply.put("status", 502).put("errorType", "BODY_TOO_LARGE");
            reply.putObject("body").put("code", "BODY_TOO_LARGE").put("message", "body size of " + size
                    + " is greater than max allowed of " + ACK_BODY_LIMIT + " bytes");
            reply.set("headers", headers);
            return reply;
        }
        reply.put("status", response.status()).put("body", new String(bytes, StandardCharsets.UTF_8));
        reply.set("headers", headers);
        if (response.errorType() != null) {
            reply.put("errorType", response.errorType());
        }
        return reply;
    }

    private void ack(InboundRequest inbound, ClientResponse response, InputStream body) throws IOException {
        JsonNode reply = ackReply(inbound.request(), response, body);
        inbound.socket().ack(inbound.ackId(), reply).exceptionally(e -> {
            LOG.warn("cannot send the ack of request {}: {}", inbound.request().requestId(), e.getMessage());
            return null;
        });
    }

    private void post(InboundRequest inbound, ClientResponse response, InputStream body)
            throws IOException, InterruptedException {
        BrokerRequest request = inbound.request();
        URI target = responseDataUri(inbound.socket().role(), request.streamingId());
        List<String> retryErrors = new ArrayList<>();
        HttpURLConnection connection;
        for (int attempt = 0; ; attempt++) {
            connection = uploads.open(target);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setChunkedStreamingMode(CHUNK);
            connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, postTimeout.toMillis()));
            connection.setRequestProperty("Content-Type", STREAM_CONTENT_TYPE);
            connection.setRequestProperty("Snyk-Request-Id", request.requestId());
            connection.setRequestProperty("user-agent", "Snyk Broker client " + link.version());
            connection.setRequestProperty("x-broker-client-version", link.version());
            connection.setRequestProperty("snyk-broker-retry-count", String.valueOf(attempt));
            if (attempt > 0) {
                connection.setRequestProperty("snyk-broker-retry-errors", String.join(",", retryErrors));
            }
            for (String name : CORRELATION) {
                String value = request.header(name.toLowerCase(Locale.ROOT));
                connection.setRequestProperty(name, value == null ? "undefined" : value);
            }
            try {
                connection.connect();
                break;
            } catch (ConnectException e) {
                if (attempt >= connectRetries) {
                    throw e;
                }
                retryErrors.add("ECONNREFUSED");
                Thread.sleep(retryDelay.toMillis());
            }
        }
        OutputStream out = connection.getOutputStream();
        try {
            out.write(head(response));
            byte[] buffer = new byte[CHUNK];
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // Never end the chunked body normally after a failure: the server would take it for the whole answer.
            connection.disconnect();
            throw e;
        }
        out.close();
        int status = connection.getResponseCode();
        try (InputStream answer = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (answer != null) {
                answer.transferTo(OutputStream.nullOutputStream());
            }
        }
        if (status != 200) {
            LOG.error("the broker server answered {} to the response of request {}", status, request.requestId());
        }
    }

    private URI responseDataUri(String role, String streamingId) {
        if (!STREAMING_ID.matcher(streamingId).matches()) {
            throw new IllegalArgumentException("the server sent a streamingID that is not a plain identifier");
        }
        URI server = link.serverUrl(role);
        String base = server.toString().replaceAll("/+$", "");
        return URI.create(base + "/response-data/" + link.token() + "/" + streamingId + "?connection_role=" + role);
    }

    private static ObjectNode headerObject(Map<String, List<String>> headers) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        headers.forEach((name, values) -> {
            if (values.size() == 1) {
                node.put(name, values.get(0));
            } else {
                values.forEach(v -> node.withArray(name).add(v));
            }
        });
        return node;
    }

    private static long drain(InputStream body) throws IOException {
        return body.transferTo(OutputStream.nullOutputStream());
    }
}
