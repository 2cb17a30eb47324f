package io.cragent.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Our HTTPS token endpoint for distribution's {@code auth.token} (registries.md §6.3).
 * {@code GET /token?service=&scope=…} with optional Basic credentials; grants the intersection of the
 * requested scopes and the user's configured rights, as an RS256 JWT carrying the signing cert in {@code x5c}.
 * Switches let tests mint tokens the registry will reject ({@code invalid_token}).
 */
public final class TokenIssuer implements AutoCloseable {

    public static final String DEFAULT_SERVICE = "test-registry";
    public static final String DEFAULT_ISSUER = "test-token-issuer";

    /** One entry of the JWT {@code access} claim. */
    public record Access(String type, String name, List<String> actions) {
    }

    /** What the issuer handed out, for assertions on granted (not just requested) rights. */
    public record IssuedToken(String subject, List<String> requestedScopes, List<Access> access, Instant issuedAt,
            long expiresIn) {
    }

    /** A configured account: repository-name globs with actions, plus an optional catalog right. */
    public static final class User {
        private final String password;
        private final Map<Pattern, Set<String>> repositoryGrants = new ConcurrentHashMap<>();
        private volatile boolean catalog;

        private User(String password) {
            this.password = password;
        }

        /** Grants actions ("pull", "push", "delete" or "*") on repositories matching a glob ({@code *}, {@code ?}). */
        public User grant(String repositoryGlob, String... actions) {
            repositoryGrants.computeIfAbsent(globToRegex(repositoryGlob), k -> ConcurrentHashMap.newKeySet())
                    .addAll(List.of(actions));
            return this;
        }

        /** Grants {@code registry:catalog:*}. */
        public User grantCatalog() {
            this.catalog = true;
            return this;
        }

        private List<String> allowed(String repository, List<String> requested) {
            Set<String> granted = new LinkedHashSet<>();
            repositoryGrants.forEach((glob, actions) -> {
                if (glob.matcher(repository).matches()) {
                    for (String action : requested) {
                        if (actions.contains(action) || actions.contains("*")) {
                            granted.add(action);
                        }
                    }
                }
            });
            return List.copyOf(granted);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final ExecutorService executor;
    private final TestPki.Issued signer;
    private final String service;
    private final String issuer;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<IssuedToken> issued = new CopyOnWriteArrayList<>();
    private volatile long expiresInSeconds = 300;
    private volatile boolean wrongIssuer;
    private volatile boolean wrongAudience;
    private volatile boolean expired;
    private volatile Long registryLifetime;

    private TokenIssuer(TestPki pki, String service, String issuer) throws IOException {
        this.signer = pki.tokenSigner();
        this.service = service;
        this.issuer = issuer;
        this.server = HttpsServer.create(FreePorts.loopbackAnyPort(), 0);
        this.server.setHttpsConfigurator(new HttpsConfigurator(pki.serverSslContext()));
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "token-issuer");
            thread.setDaemon(true);
            return thread;
        });
        this.server.setExecutor(executor);
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    /** Starts with service {@value #DEFAULT_SERVICE} and issuer {@value #DEFAULT_ISSUER}. */
    public static TokenIssuer start(TestPki pki) {
        return start(pki, DEFAULT_SERVICE, DEFAULT_ISSUER);
    }

    public static TokenIssuer start(TestPki pki, String service, String issuer) {
        try {
            return new TokenIssuer(pki, service, issuer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start token issuer", e);
        }
    }

    /** Adds (or replaces) an account; chain {@code grant(...)} calls on the result. */
    public User user(String name, String password) {
        User user = new User(password);
        users.put(name, user);
        return user;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The value for {@code auth.token.realm}: {@code https://127.0.0.1:<port>/token}. */
    public String realm() {
        return "https://127.0.0.1:" + port() + "/token";
    }

    public String service() {
        return service;
    }

    public String issuer() {
        return issuer;
    }

    public X509Certificate signingCertificate() {
        return signer.certificate();
    }

    /** Every request received, in order (the Authorization value itself is never stored). */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Every token minted over HTTP, in order. */
    public List<IssuedToken> issuedTokens() {
        return List.copyOf(issued);
    }

    public void clearRequests() {
        requests.clear();
        issued.clear();
    }

    /** The {@code expires_in} answered and the token lifetime ({@code exp - iat}); default 300. */
    public void setExpiresIn(long seconds) {
        this.expiresInSeconds = seconds;
    }

    /** Mint tokens whose {@code iss} the registry does not accept → {@code invalid_token}. */
    public void setMintWrongIssuer(boolean on) {
        this.wrongIssuer = on;
    }

    /** Mint tokens with a foreign {@code aud} → {@code invalid_token}. */
    public void setMintWrongAudience(boolean on) {
        this.wrongAudience = on;
    }

    /** Mint tokens that expired beyond the registry's 60 s leeway → {@code invalid_token}. */
    public void setMintExpired(boolean on) {
        this.expired = on;
    }

    /**
     * The JWT's own lifetime ({@code exp - iat}) while {@code expires_in} still says the configured value: the token
     * stops working at the registry (after its 60 s leeway) while the client believes it valid, as a token that
     * expires in the middle of a pull. Negative values shorten the leeway. Null: as {@code expires_in}.
     */
    public void setRegistryLifetime(Long seconds) {
        this.registryLifetime = seconds;
    }

    /** Clears all switches back to a well-behaved issuer with 300 s tokens. */
    public void reset() {
        registryLifetime = null;
        expiresInSeconds = 300;
        wrongIssuer = false;
        wrongAudience = false;
        expired = false;
    }

    /** Mints a token directly (no HTTP) with the user's granted subset of {@code scopes}; unknown user = anonymous. */
    public String mintFor(String userName, List<String> scopes) {
        User user = userName == null ? null : users.get(userName);
        return sign(user == null ? "" : userName, grantedAccess(user, scopes), Instant.now());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(RecordedRequest.of(exchange));
            if (!exchange.getRequestURI().getPath().equals("/token")) {
                respond(exchange, 404, "{\"error\":\"not found\"}");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                // The OAuth2 POST variant is deliberately unsupported: clients must fall back to GET on 405.
                exchange.getResponseHeaders().set("Allow", "GET");
                respond(exchange, 405, "{\"error\":\"method not allowed\"}");
                return;
            }
            String subject = "";
            User user = null;
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                String[] credentials = basicCredentials(authorization);
                user = credentials == null ? null : users.get(credentials[0]);
                if (user == null || !user.password.equals(credentials[1])) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + issuer + "\"");
                    respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                    return;
                }
                subject = credentials[0];
            }
            List<String> scopes = new ArrayList<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String scope : RecordedRequest.queryParams("?" + (raw == null ? "" : raw), "scope")) {
                // Some clients join several scopes with spaces in one parameter.
                for (String part : scope.trim().split(" +")) {
                    if (!part.isEmpty()) {
                        scopes.add(part);
                    }
                }
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<Access> access = grantedAccess(user, scopes);
            String token = sign(subject, access, now);
            issued.add(new IssuedToken(subject, List.copyOf(scopes), access, now, expiresInSeconds));
            ObjectNode body = JSON.createObjectNode();
            body.put("token", token);
            body.put("access_token", token);
            body.put("expires_in", expiresInSeconds);
            body.put("issued_at", now.toString());
            respond(exchange, 200, JSON.writeValueAsString(body));
        } catch (RuntimeException e) {
            respond(exchange, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /** Intersection of requested scopes and the user's rights; anonymous users get nothing. */
    private List<Access> grantedAccess(User user, List<String> scopes) {
        Map<String, Access> merged = new LinkedHashMap<>();
        for (String scope : scopes) {
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first < 0 || last <= first) {
                continue;
            }
            String type = scope.substring(0, first);
            String name = scope.substring(first + 1, last);
            List<String> requested = List.of(scope.substring(last + 1).split(","));
            List<String> granted;
            if (user == null) {
                granted = List.of();
            } else if (type.equals("repository")) {
                granted = user.allowed(name, requested);
            } else if (type.equals("registry") && name.equals("catalog")) {
                granted = user.catalog ? requested : List.of();
            } else {
                granted = List.of();
            }
            if (granted.isEmpty()) {
                continue;
            }
            String key = type + ":" + name;
            Access previous = merged.get(key);
            Set<String> actions = new LinkedHashSet<>(previous == null ? List.of() : previous.actions());
            actions.addAll(granted);
            merged.put(key, new Access(type, name, List.copyOf(actions)));
        }
        return List.copyOf(merged.values());
    }

    private String sign(String subject, List<Access> access, Instant now) {
        try {
            ObjectNode header = JSON.createObjectNode();
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(signer.certificate().getEncoded()));

            Instant issuedAt = expired ? now.minusSeconds(600) : now;
            ObjectNode claims = JSON.createObjectNode();
            claims.put("iss", wrongIssuer ? "not-" + issuer : issuer);
            claims.put("sub", subject);
            // A single string: 2.8.2 decodes aud as a string and calls an array "malformed".
            claims.put("aud", wrongAudience ? "not-" + service : service);
            claims.put("exp", expired ? now.minusSeconds(300).getEpochSecond()
                    : issuedAt.getEpochSecond() + (registryLifetime != null ? registryLifetime : expiresInSeconds));
            claims.put("nbf", issuedAt.getEpochSecond());
            claims.put("iat", issuedAt.getEpochSecond());
            claims.put("jti", UUID.randomUUID().toString());
            ArrayNode accessNode = claims.putArray("access");
            for (Access entry : access) {
                ObjectNode node = accessNode.addObject();
                node.put("type", entry.type());
                node.put("name", entry.name());
                ArrayNode actions = node.putArray("actions");
                entry.actions().forEach(actions::add);
            }

            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String signingInput = url.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + url.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(signer.privateKey());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + url.encodeToString(rs256.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    private static String[] basicCredentials(String authorization) {
        String value = authorization.trim();
        if (value.length() < 6 || !value.substring(0, 6).equalsIgnoreCase("basic ")) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
