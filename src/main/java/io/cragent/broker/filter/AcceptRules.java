package io.cragent.broker.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An accept file: {@code {"public":[rule…],"private":[rule…]}} (broker-protocol.md §4.1). {@code private} filters
 * requests from the server to the agent, {@code public} the agent's callbacks; a missing list has no rules. Every
 * rule is checked when the file loads, so a rule we cannot enforce exactly is an error at start-up, never a
 * silent hole.
 *
 * <pre>{@code
 * AcceptRules rules = AcceptRules.fromEnvironment(System.getenv());     // ACCEPT, else the built-in CRA rules
 * FilterDecision d = rules.privateRules().match(new FilterRequest("GET", "/list", headers, null),
 *         Variables.of(System.getenv()));
 * }</pre>
 */
public final class AcceptRules {

    /** The container-registry-agent rules of broker-protocol.md §4.6, shipped in the jar. */
    public static final String CRA_RESOURCE = "/broker/accept-cra.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final ObjectNode json;
    private final RuleSet privateRules;
    private final RuleSet publicRules;

    private AcceptRules(String source, ObjectNode json, RuleSet privateRules, RuleSet publicRules) {
        this.source = source;
        this.json = json;
        this.privateRules = privateRules;
        this.publicRules = publicRules;
    }

    /** The file named by {@code ACCEPT}, else the built-in container-registry-agent rules. */
    public static AcceptRules fromEnvironment(Map<String, String> env) {
        String accept = env.get("ACCEPT");
        return accept == null || accept.isBlank() ? containerRegistryAgent() : fromFile(Path.of(accept));
    }

    public static AcceptRules containerRegistryAgent() {
        try (InputStream in = AcceptRules.class.getResourceAsStream(CRA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + CRA_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "built-in CRA rules");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AcceptRules fromFile(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read accept file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses accept JSON; IllegalArgumentException names the file and rule that cannot be used. */
    public static AcceptRules parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("accept file " + source + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("accept file " + source + " must be a JSON object with 'public' and 'private' lists");
        }
        try {
            return new AcceptRules(source, (ObjectNode) root, list("private", root.get("private")),
                    list("public", root.get("public")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("accept file " + source + ": " + e.getMessage(), e);
        }
    }

    private static RuleSet list(String name, JsonNode node) {
        List<AcceptRule> rules = new ArrayList<>();
        if (node != null && !node.isNull()) {
            if (!node.isArray()) {
                throw new IllegalArgumentException("'" + name + "' must be an array of rules");
            }
            for (int i = 0; i < node.size(); i++) {
                try {
                    rules.add(AcceptRule.parse(i, node.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + " " + e.getMessage(), e);
                }
            }
        }
        return new RuleSet(name, rules);
    }

    /** Downstream: requests from the server to the agent. */
    public RuleSet privateRules() {
        return privateRules;
    }

    /** Upstream: the agent's callbacks to the server. */
    public RuleSet publicRules() {
        return publicRules;
    }

    /** The rules as loaded, for the identify handshake's {@code filters} and {@code GET /filters}. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "accept rules from " + source + ": " + privateRules + ", " + publicRules;
    }
}
