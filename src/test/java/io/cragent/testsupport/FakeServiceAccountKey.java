package io.cragent.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Google service-account JSON key as the console downloads it (the same fields, two-space indentation, the PEM
 * with {@code \n} escapes), made up on the spot with a fresh RSA key: never a real key. Its text has the quotes,
 * newlines and backslashes that make {@code _json_key} passwords hard to carry.
 */
public final class FakeServiceAccountKey {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String projectId;
    private final String clientEmail;
    private final String privateKeyId;
    private final String privateKeyPem;
    private final String json;

    private FakeServiceAccountKey(String projectId, String accountName) {
        this.projectId = projectId;
        this.clientEmail = accountName + "@" + projectId + ".iam.gserviceaccount.com";
        byte[] id = new byte[20];
        RANDOM.nextBytes(id);
        this.privateKeyId = HexFormat.of().formatHex(id);
        this.privateKeyPem = pem();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", "service_account");
        fields.put("project_id", projectId);
        fields.put("private_key_id", privateKeyId);
        fields.put("private_key", privateKeyPem);
        fields.put("client_email", clientEmail);
        fields.put("client_id", String.valueOf(100_000_000_000_000_000L + RANDOM.nextLong(800_000_000_000_000_000L)));
        fields.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        fields.put("token_uri", "https://oauth2.googleapis.com/token");
        fields.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
        fields.put("client_x509_cert_url", "https://www.googleapis.com/robot/v1/metadata/x509/"
                + clientEmail.replace("@", "%40"));
        fields.put("universe_domain", "googleapis.com");
        this.json = fields.entrySet().stream().map(e -> "  " + quote(e.getKey()) + ": " + quote(e.getValue()))
                .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
    }

    public static FakeServiceAccountKey generate(String projectId, String accountName) {
        return new FakeServiceAccountKey(projectId, accountName);
    }

    /** The file's text, as a {@code _json_key} password carries it verbatim. */
    public String json() {
        return json;
    }

    /** The text base64-encoded, the {@code _json_key_base64} password. */
    public String base64() {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    public String clientEmail() {
        return clientEmail;
    }

    public String projectId() {
        return projectId;
    }

    public String privateKeyId() {
        return privateKeyId;
    }

    /** Whether a password is this key: the fields Google checks, read from the JSON text. */
    public boolean matches(String text) {
        try {
            JsonNode key = JSON.readTree(text);
            return key != null && "service_account".equals(key.path("type").asText())
                    && clientEmail.equals(key.path("client_email").asText())
                    && privateKeyId.equals(key.path("private_key_id").asText())
                    && privateKeyPem.equals(key.path("private_key").asText());
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String pem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
            return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "FakeServiceAccountKey[" + clientEmail + "]";
    }
}
