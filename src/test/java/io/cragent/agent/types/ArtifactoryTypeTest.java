package io.cragent.agent.types;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestImages.PushedImage;
import io.cragent.testsupport.VendorFake.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * artifactory-cr in repository-path mode: registryBase {@code <host>/artifactory/api/docker/<repo-key>} is an API
 * prefix, not a namespace. A fake Artifactory serves the v2 API under that prefix from the real registry, and its
 * catalog only to a privileged user: anyone else gets {@code []} and the reason.
 */
class ArtifactoryTypeTest extends VendorTypeTestSupport {
    private static final String PREFIX = "/artifactory/api/docker/docker-local";
    private PushedImage app;

    @BeforeAll
    void start() {
        startPeers(DistributionRegistry.Mode.TLS_HTPASSWD);
        app = TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI);
        vendor.proxyTo(registry).on(PREFIX + "/v2/_catalog", request ->
                (registry.username() + ":" + registry.password()).equals(request.basic())
                        ? Reply.json("{\"repositories\":[\"team/app\"]}")
                        : Reply.status(403));
    }

    private String artifactory(String user, String password) {
        return credentials("artifactory-cr", user, password, vendor.baseUrl().substring(8) + PREFIX);
    }

    @Test
    void thePathIsAnApiPrefixForTagsAndImages() {
        String reader = artifactory(registry.readerUsername(), registry.readerPassword());
        Answer tags = get("/list/team/app", reader);
        assertThat(texts(tags.json())).as(tags.toString()).containsExactly("1.0");
        Answer meta = get("/image-metadata/team/app:1.0", reader);
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("manifestDigest").asText()).isEqualTo(app.manifestDigest());
        assertThat(vendor.requests()).allMatch(r -> r.path().startsWith(PREFIX + "/v2/"));
    }

    @Test
    void aPrivilegedUserListsTheCatalog() {
        Answer answer = get("/list", artifactory(registry.username(), registry.password()));
        assertThat(texts(answer.json())).as(answer.toString()).containsExactly("team/app");
    }

    @Test
    void anUnprivilegedUserGetsNoListAndTheReason() {
        Answer answer = get("/list", artifactory(registry.readerUsername(), registry.readerPassword()));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json()).isEmpty();
        assertThat(answer.response().headers().firstValue("X-Listing-Unsupported")).isPresent();
    }
}
