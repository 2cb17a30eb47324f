package io.cragent.agent.types;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.RecordedRequest;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.PushedImage;
import io.cragent.testsupport.TokenIssuer;
import io.cragent.testsupport.VendorFake;
import io.cragent.testsupport.VendorFake.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * acr: a fake of ACR's token service at the challenge's realm ({@code <name>.azurecr.io/oauth2/token}, service the
 * login server), as Azure documents it: the admin user or a service principal (app id + secret) as Basic on
 * {@code GET /oauth2/token?service=&scope=}; an ACR refresh token with the null-GUID user name by
 * {@code POST /oauth2/token} ({@code grant_type=refresh_token}); answers {@code {"access_token":…}}. The real
 * registry behind it lists by catalog ({@code registry:catalog:*}) and serves tags and images.
 */
class AcrTypeTest extends VendorTypeTestSupport {
    private static final String SERVICE = "cragenttest.azurecr.io";
    private static final String REALM_PATH = "/oauth2/token";
    private static final String NULL_GUID = "00000000-0000-0000-0000-000000000000";
    private static final String SP_APP_ID = "5f0c3b7e-2d1a-4c8e-9b6f-0a1b2c3d4e5f";
    private static final String SP_SECRET = "Xy8Q~sp.secret-value_with~tilde";
    private static final String SCOPED_TOKEN = "team-app-reader";
    private static final String SCOPED_PASSWORD = "scoped-token-password";
    /** ACR refresh tokens, as {@code POST /oauth2/exchange} hands them out, each for one AAD identity. */
    private static final Map<String, String> REFRESH_TOKENS = Map.of(
            "eyJhbGciOiJSUzI1NiJ9.acr-refresh-token-one.sig", "user@contoso.example",
            "eyJhbGciOiJSUzI1NiJ9.acr-refresh-token-two.sig", "ops@contoso.example");
    private static final String REFRESH_ONE = "eyJhbGciOiJSUzI1NiJ9.acr-refresh-token-one.sig";
    private static final String REFRESH_TWO = "eyJhbGciOiJSUzI1NiJ9.acr-refresh-token-two.sig";

    private TokenIssuer issuer;
    private PushedImage app;
    private PushedImage cli;
    private volatile boolean postRefused;

    @BeforeAll
    void start() {
        startPeersBehindRealm(REALM_PATH, SERVICE);
        issuer = registry.tokenIssuer();
        issuer.user(SP_APP_ID, SP_SECRET).grant("*", "pull").grantCatalog();
        issuer.user(SCOPED_TOKEN, SCOPED_PASSWORD).grant("team/app", "pull");
        REFRESH_TOKENS.values().forEach(identity -> issuer.user(identity, "aad-only").grant("*", "pull").grantCatalog());
        vendor.on(REALM_PATH, this::token);
        app = TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI);
        cli = TestImages.pushImage(registry, "team/tools/cli", "2.0", TestImages.Format.DOCKER_V2S2);
    }

    /** ACR's {@code /oauth2/token}: GET with Basic (docker's flow), POST with a refresh-token grant. */
    private Reply token(VendorFake.Request request) {
        if (request.method().equals("POST")) {
            if (postRefused) {
                return Reply.status(405);
            }
            if (!List.of("refresh_token").equals(request.form("grant_type"))
                    || !List.of(SERVICE).equals(request.form("service"))) {
                return acrError(400, "BAD_REQUEST");
            }
            String identity = REFRESH_TOKENS.get(first(request.form("refresh_token")));
            return identity == null ? acrError(401, "UNAUTHORIZED") : accessToken(identity, request.form("scope"));
        }
        if (!SERVICE.equals(request.query("service")) || request.basic() == null) {
            return acrError(401, "UNAUTHORIZED");
        }
        String[] basic = request.basic().split(":", 2);
        String identity = switch (basic[0]) {
            case NULL_GUID -> REFRESH_TOKENS.get(basic[1]); // "the null GUID tells the registry this is a refresh token"
            case SP_APP_ID -> SP_SECRET.equals(basic[1]) ? SP_APP_ID : null;
            case SCOPED_TOKEN -> SCOPED_PASSWORD.equals(basic[1]) ? SCOPED_TOKEN : null;
            case DistributionRegistry.ADMIN_USER -> DistributionRegistry.ADMIN_PASSWORD.equals(basic[1]) ? basic[0] : null;
            default -> null;
        };
        return identity == null ? acrError(401, "UNAUTHORIZED") : accessToken(identity, request.queries("scope"));
    }

    private Reply accessToken(String identity, List<String> scopes) {
        return Reply.json("{\"access_token\":\"" + issuer.mintFor(identity, scopes) + "\"}");
    }

    private static Reply acrError(int status, String code) {
        return new Reply(status, Map.of(), "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"authentication "
                + "required, visit https://aka.ms/acr/authorization for more information.\"}]}");
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? "" : values.get(0);
    }

    private String acr(String username, String password) {
        return credentials("acr", username, password, registry.hostPort());
    }

    private void listsTagsAndDescribes(String credentials) {
        Answer list = get("/list", credentials);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(texts(list.json())).containsExactly("team/app", "team/tools/cli");
        Answer tags = get("/list/team/app", credentials);
        assertThat(texts(tags.json())).as(tags.toString()).containsExactly("1.0");
        Answer meta = get("/image-metadata/team/tools/cli:2.0", credentials);
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(cli.manifestDigest());
    }

    private List<RecordedRequest> tokenRequests() {
        return vendor.requests(REALM_PATH);
    }

    @Test
    void theAdminUserAndAServicePrincipalUseBasicOnTheRealm() {
        vendor.clearRequests();
        listsTagsAndDescribes(acr(registry.username(), registry.password()));
        listsTagsAndDescribes(acr(SP_APP_ID, SP_SECRET));
        assertThat(tokenRequests()).isNotEmpty()
                .allMatch(r -> r.method().equals("GET") && r.isAuthScheme("Basic"))
                .allMatch(r -> SERVICE.equals(r.queryParam("service")))
                .anyMatch(r -> r.queryParams("scope").equals(List.of("registry:catalog:*")));
    }

    @Test
    void aRefreshTokenWithTheNullGuidIsExchangedByTheRefreshTokenGrant() {
        vendor.clearRequests();
        listsTagsAndDescribes(acr(NULL_GUID, REFRESH_ONE));
        assertThat(tokenRequests()).isNotEmpty()
                .allMatch(r -> r.method().equals("POST") && !r.hadAuthorization());
    }

    @Test
    void aRealmThatTakesNoPostGetsTheRefreshTokenAsBasic() {
        postRefused = true;
        try {
            vendor.clearRequests();
            Answer meta = get("/image-metadata/team/app:1.0", acr(NULL_GUID, REFRESH_TWO));
            assertThat(meta.json().path("manifestDigest").asText()).as(meta.toString()).isEqualTo(app.manifestDigest());
            assertThat(tokenRequests()).extracting(RecordedRequest::method).containsSubsequence("POST", "GET");
            assertThat(tokenRequests()).filteredOn(r -> r.method().equals("GET")).allMatch(r -> r.isAuthScheme("Basic"));
        } finally {
            postRefused = false;
        }
    }

    @Test
    void aRepositoryScopedTokenPullsItsRepositoryButCannotListTheCatalog() {
        Answer list = get("/list", acr(SCOPED_TOKEN, SCOPED_PASSWORD));
        assertThat(list.json()).as(list.toString()).isEmpty();
        assertThat(list.response().headers().firstValue("X-Listing-Unsupported")).isPresent();
        Answer meta = get("/image-metadata/team/app:1.0", acr(SCOPED_TOKEN, SCOPED_PASSWORD));
        assertThat(meta.json().path("manifestDigest").asText()).as(meta.toString()).isEqualTo(app.manifestDigest());
    }

    @Test
    void aWrongSecretOrAnUnknownRefreshTokenIsAnAuthenticationFailure() {
        for (String credentials : List.of(acr(SP_APP_ID, "wrong-secret"), acr(NULL_GUID, "eyJ.unknown.token"))) {
            Answer answer = get("/list/team/app", credentials);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
            assertThat(answer.errorCode()).isEqualTo("AUTH_FAILED");
            assertThat(answer.body()).doesNotContain("wrong-secret").doesNotContain("unknown");
        }
    }
}
