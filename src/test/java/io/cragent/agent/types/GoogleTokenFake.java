package io.cragent.agent.types;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeServiceAccountKey;
import io.cragent.testsupport.TokenIssuer;
import io.cragent.testsupport.VendorFake;
import io.cragent.testsupport.VendorFake.Reply;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The token service of GCR and Artifact Registry ({@code GET https://gcr.io/v2/token},
 * {@code https://<region>-docker.pkg.dev/v2/token}) as Google documents Docker's use of it: Basic credentials
 * {@code _json_key} + the service-account JSON key, {@code _json_key_base64} + that key in base64, or
 * {@code oauth2accesstoken} + an OAuth access token; the answer {@code {"expires_in","issued_at","token"}}. The
 * tokens are minted by the test registry's issuer for the account's rights. The registry's admin is accepted too,
 * only so that the test can push its images.
 */
final class GoogleTokenFake {
    static final String REALM_PATH = "/v2/token";

    private final TokenIssuer issuer;
    private final String service;
    private final FakeServiceAccountKey key;
    private final String accessToken;
    private final List<String> usernames = new CopyOnWriteArrayList<>();

    /** Serves the realm on {@code vendor}; the key's account may pull {@code repositoryGlob} and list the catalog. */
    GoogleTokenFake(VendorFake vendor, DistributionRegistry registry, String service, FakeServiceAccountKey key,
                    String accessToken, String repositoryGlob) {
        this.issuer = registry.tokenIssuer();
        this.service = service;
        this.key = key;
        this.accessToken = accessToken;
        issuer.user(key.clientEmail(), "not-a-password-login").grant(repositoryGlob, "pull").grantCatalog();
        vendor.on(REALM_PATH, this::token);
    }

    /** The Basic user names that reached the realm, in order (user names only: never a secret). */
    List<String> usernames() {
        return List.copyOf(usernames);
    }

    void clear() {
        usernames.clear();
    }

    private Reply token(VendorFake.Request request) {
        if (!request.method().equals("GET") || !service.equals(request.query("service"))) {
            return Reply.status(400);
        }
        String basic = request.basic();
        String subject = null;
        if (basic != null) {
            int colon = basic.indexOf(':');
            String user = basic.substring(0, Math.max(colon, 0));
            String password = basic.substring(colon + 1);
            usernames.add(user);
            subject = switch (user) {
                case "_json_key" -> key.matches(password) ? key.clientEmail() : null;
                case "_json_key_base64" -> key.matches(decode(password)) ? key.clientEmail() : null;
                case "oauth2accesstoken" -> accessToken.equals(password) ? key.clientEmail() : null;
                case DistributionRegistry.ADMIN_USER -> DistributionRegistry.ADMIN_PASSWORD.equals(password) ? user : null;
                default -> null;
            };
            if (subject == null) {
                return new Reply(401, java.util.Map.of(),
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"Not Authorized.\"}]}");
            }
        }
        String token = issuer.mintFor(subject, request.queries("scope"));
        return Reply.json("{\"expires_in\":300,\"issued_at\":\"" + Instant.now() + "\",\"token\":\"" + token + "\"}");
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
