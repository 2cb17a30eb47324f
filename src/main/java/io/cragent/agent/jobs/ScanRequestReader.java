package io.cragent.agent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.agent.callbacks.CallbackUrls;
import io.cragent.credentials.CredentialsDecoder;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.errors.AgentException;
import io.cragent.registry.ImageReference;
import io.cragent.registry.manifest.Platform;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads and validates a {@code /scan} or {@code /discover} request (overview.md §3): images, platform, callback
 * URL and credentials. Every check that can fail runs here, before anything is queued, so bad input gets a 400
 * and nothing else happens. {@code Authorization} is removed from the message at once.
 */
public final class ScanRequestReader implements Processor {
    /** Exchange property set by the API route: {@link JobKind}. */
    public static final String KIND = "jobKind";
    /** Fields the agent reads; every other field of the request is echoed under {@code context}. */
    private static final Set<String> OWN_FIELDS = Set.of("images", "imageName", "image", "platform", "callbackUrl",
            "brokerClientUrl", "credentials", "BROKER_VAR_SUB");

    private final ObjectMapper json = new ObjectMapper();
    private final CredentialsDecoder decoder = new CredentialsDecoder();
    private final ImageScans scans;
    private final String defaultCallbackBase;
    private final List<String> correlationHeaders;
    private final int maxImages;

    /**
     * @param defaultCallbackBase {@code BROKER_CLIENT_URL}, used when a request names no callback URL; may be blank
     * @param correlationHeaders  request headers echoed on callbacks, such as {@code snyk-request-id}
     */
    public ScanRequestReader(ImageScans scans, String defaultCallbackBase, List<String> correlationHeaders,
                             int maxImages) {
        this.scans = scans;
        this.defaultCallbackBase = CallbackUrls.base(defaultCallbackBase, "BROKER_CLIENT_URL");
        this.correlationHeaders = List.copyOf(correlationHeaders);
        this.maxImages = maxImages;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String authorization = in.getHeader("Authorization", String.class);
        in.removeHeader("Authorization");
        ObjectNode body = body(in.getBody(String.class));
        JobKind kind = exchange.getProperty(KIND, JobKind.class);

        RegistryCredentials credentials = authorization != null && !authorization.isBlank()
                ? decoder.decode(authorization) : decoder.decode(body.get("credentials"));
        List<String> images = images(body);
        Platform platform = Platform.parse(text(body, "platform"));
        String registryHost = scans.registryHost(credentials);
        for (String image : images) {
            ImageReference.parse(image, registryHost);
        }
        String callbackUrl = text(body, "callbackUrl") != null ? text(body, "callbackUrl") : text(body, "brokerClientUrl");
        String callbackBase = callbackUrl != null ? CallbackUrls.base(callbackUrl, "callbackUrl") : defaultCallbackBase;

        ObjectNode context = json.createObjectNode();
        body.fields().forEachRemaining(field -> {
            if (!OWN_FIELDS.contains(field.getKey())) {
                context.set(field.getKey(), field.getValue());
            }
        });
        Map<String, String> correlation = new LinkedHashMap<>();
        for (String name : correlationHeaders) {
            String value = in.getHeader(name, String.class);
            if (value != null && !value.isBlank() && value.length() <= 200) {
                correlation.put(name, value.strip());
            }
        }
        exchange.setProperty(ScanJob.PROPERTY, new ScanJob(UUID.randomUUID().toString(), kind, images,
                platform.toString(), callbackBase, context, correlation, credentials, Instant.now()));
    }

    private ObjectNode body(String text) {
        if (text == null || text.isBlank()) {
            throw AgentException.badRequest("a scan request needs a JSON body naming images");
        }
        try {
            JsonNode node = json.readTree(text);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (Exception e) {
            throw AgentException.badRequest("the request body is not valid JSON");
        }
        throw AgentException.badRequest("the request body must be a JSON object");
    }

    /** {@code images} (an array of strings), {@code imageName} or {@code image}; duplicates dropped, order kept. */
    private List<String> images(ObjectNode body) {
        Set<String> images = new LinkedHashSet<>();
        JsonNode list = body.get("images");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw AgentException.badRequest("images must be an array of image names");
            }
            for (JsonNode item : list) {
                String name = item.isTextual() ? item.asText().strip()
                        : item.isObject() ? item.path("imageName").asText("").strip() : "";
                if (name.isEmpty()) {
                    throw AgentException.badRequest("every entry of images must be a non-empty image name");
                }
                images.add(name);
            }
        }
        for (String field : List.of("imageName", "image")) {
            String name = text(body, field);
            if (name != null) {
                images.add(name.strip());
            }
        }
        if (images.isEmpty()) {
            throw AgentException.badRequest("name at least one image: images, or imageName");
        }
        if (images.size() > maxImages) {
            throw AgentException.badRequest("at most " + maxImages + " images per request");
        }
        return new ArrayList<>(images);
    }

    private static String text(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw AgentException.badRequest(field + " must be a string");
        }
        return node.asText().isBlank() ? null : node.asText();
    }
}
