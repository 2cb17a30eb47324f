package io.cragent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.Format;
import io.cragent.testsupport.TestImages.PushedImage;
import io.cragent.testsupport.TokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent against the real registry with Bearer token auth: the registry sends us to a token issuer (written in
 * the test code, signing RS256 JWTs the registry verifies), scopes are requested per repository and for the
 * catalog, tokens are cached and renewed.
 */
class TokenAuthRegistryTest extends AgentTestSupport {
    private DistributionRegistry registry;
    private TokenIssuer issuer;
    private PushedImage image;
    private String creds;

    @BeforeAll
    void startRegistry() {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.TLS_TOKEN);
        issuer = registry.tokenIssuer();
        image = TestImages.pushImage(registry, "secure/app", "3.0", Format.OCI);
        creds = credentials("harbor-cr", registry.username(), registry.password(), registry.hostPort());
        override("cragent.registry.ca-cert", registry.caCertPath().toString());
    }

    @AfterAll
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void freshIssuer() {
        issuer.reset();
        issuer.clearRequests();
    }

    @Test
    void systemcheckGetsATokenFromTheRealm() {
        Answer answer = get("/systemcheck", credentials("quay-cr", registry.username(), registry.password(), registry.hostPort()));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @Test
    void listsWithACatalogScopedTokenAndDescribesImagesWithRepositoryScopes() {
        Answer repos = get("/list", creds);
        assertThat(repos.status()).as(repos.toString()).isEqualTo(200);
        assertThat(texts(repos.json())).contains("secure/app");

        Answer meta = get("/image-metadata/secure/app:3.0", creds);
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(image.manifestDigest());

        List<String> scopes = issuer.issuedTokens().stream().flatMap(t -> t.requestedScopes().stream()).toList();
        assertThat(scopes).contains("registry:catalog:*", "repository:secure/app:pull");
    }

    @Test
    void tokensAreCachedAcrossRequests() {
        String own = ownUser("cache-user");
        assertThat(get("/list/secure/app", own).status()).isEqualTo(200);
        assertThat(issuer.issuedTokens()).hasSize(1);
        get("/list/secure/app", own);
        get("/list-with-metadata/secure/app", own);
        assertThat(issuer.issuedTokens()).hasSize(1);
    }

    @Test
    void aTokenTheRegistryRefusesIsRenewedOnce() {
        String fresh = ownUser("renew-user");
        issuer.setMintWrongIssuer(true);
        Answer refused = get("/list/secure/app", fresh);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo("AUTH_FAILED");
        assertThat(issuer.issuedTokens()).hasSize(2); // the first token, then exactly one renewal
        issuer.setMintWrongIssuer(false);
        Answer ok = get("/list/secure/app", fresh);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(texts(ok.json())).containsExactly("3.0");
    }

    @Test
    void credentialsWithoutCatalogRightsListNothingButStillReadImages() {
        String reader = credentials("harbor-cr", registry.readerUsername(), registry.readerPassword(), registry.hostPort());
        Answer repos = get("/list", reader);
        assertThat(repos.status()).as(repos.toString()).isEqualTo(200);
        assertThat(repos.json().isArray()).isTrue();
        assertThat(repos.json()).isEmpty();
        assertThat(repos.response().headers().firstValue("X-Listing-Unsupported")).isPresent();
        assertThat(get("/list/secure/app", reader).status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailure() {
        Answer answer = get("/list/secure/app", credentials("harbor-cr", registry.username(), "wrong-pw", registry.hostPort()));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("AUTH_FAILED");
        assertThat(answer.body()).doesNotContain("wrong-pw");
    }

    /** Credentials of a user no other test uses, so that no token of theirs is cached yet. */
    private String ownUser(String name) {
        issuer.user(name, name + "-pw").grant("*", "pull");
        return credentials("harbor-cr", name, name + "-pw", registry.hostPort());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
