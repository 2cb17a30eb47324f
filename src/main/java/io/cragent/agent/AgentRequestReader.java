package io.cragent.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.credentials.CredentialsDecoder;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.http.RequestTarget;
import io.cragent.registry.manifest.Platform;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an agent request from HTTP: credentials from {@code Authorization} or the body's {@code credentials},
 * the path remainder after the endpoint's prefix (decoded exactly once), and the query. Removes
 * {@code Authorization} from the message at once, so no later step can copy or print it.
 */
public final class AgentRequestReader implements Processor {
    /** Exchange property set by each API route: which operation to run. */
    public static final String OPERATION = "agentOperation";
    /** Exchange property set by API routes serving {@code /prefix/<rest>}: the prefix. */
    public static final String PATH_PREFIX = "agentPathPrefix";
    /** Exchange property: the canonical registry type, which selects the route set {@code direct:type-<type>}. */
    public static final String REGISTRY_TYPE = "registryType";

    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 1000;

    private final CredentialsDecoder credentials = new CredentialsDecoder();
    /** Strict: {"a":1}{"b":2} is not one JSON object followed by noise to ignore. */
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String authorization = in.getHeader("Authorization", String.class);
        in.removeHeader("Authorization");
        JsonNode body = body(in.getBody(String.class));
        Map<String, String> query = query(in.getHeader(Exchange.HTTP_RAW_QUERY, String.class));

        RegistryCredentials creds = authorization != null && !authorization.isBlank()
                ? credentials.decode(authorization) : credentials.decode(body.get("credentials"));
        String target = pathRemainder(exchange);
        if (target == null) {
            target = firstText(query.get("image"), body.path("image").asText(null), body.path("imageName").asText(null));
        }
        Platform platform = Platform.parse(firstText(query.get("platform"), body.path("platform").asText(null)));
        exchange.setProperty(REGISTRY_TYPE, creds.type().id());
        exchange.setProperty(AgentRequest.PROPERTY, new AgentRequest(exchange.getProperty(OPERATION, String.class),
                creds, target, platform, pageSize(query.get("pageSize")), cursor(query.get("cursor"))));
    }

    private String pathRemainder(Exchange exchange) {
        String prefix = exchange.getProperty(PATH_PREFIX, String.class);
        if (prefix == null) {
            return null;
        }
        // The raw request target: the server's normalised path would already have resolved "a/../b".
        String path = RequestTarget.rawPath(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class));
        if (path == null || !path.startsWith(prefix + "/") || path.length() == prefix.length() + 1) {
            throw AgentException.badRequest("the path must name a repository after " + prefix + "/");
        }
        String decoded = RequestTarget.decodeOnce(path.substring(prefix.length() + 1));
        if (decoded.contains("..") || decoded.contains("\\") || decoded.chars().anyMatch(Character::isISOControl)
                || decoded.contains("%")) {
            throw new AgentException(ErrorCode.INVALID_NAME, "the repository in the path is not a valid name");
        }
        return decoded;
    }

    private JsonNode body(String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw AgentException.badRequest("the request body must be a JSON object");
            }
            return node;
        } catch (AgentException e) {
            throw e;
        } catch (Exception e) {
            throw AgentException.badRequest("the request body is not valid JSON");
        }
    }

    private static int pageSize(String text) {
        if (text == null) {
            return DEFAULT_PAGE_SIZE;
        }
        try {
            int size = Integer.parseInt(text);
            if (size >= 1 && size <= MAX_PAGE_SIZE) {
                return size;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw AgentException.badRequest("pageSize must be a number from 1 to " + MAX_PAGE_SIZE);
    }

    private static String cursor(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AgentException.badRequest("cursor is not one this agent issued");
        }
    }

    /** The cursor form of a page's last tag: opaque to callers, so that its meaning may change. */
    public static String encodeCursor(String lastTag) {
        return lastTag == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(lastTag.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = RequestTarget.decodeOnce(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : RequestTarget.decodeOnce(pair.substring(eq + 1).replace('+', ' '));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String firstText(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }
}
