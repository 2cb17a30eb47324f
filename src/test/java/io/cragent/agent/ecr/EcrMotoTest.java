package io.cragent.agent.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.agent.AgentTestSupport;
import io.cragent.registry.ecr.EcrApi;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.MotoServer;
import io.cragent.testsupport.Skopeo;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ECR end to end against moto_server (STS, IAM, ECR) with its IAM checks on, and the CNCF registry behind it: the
 * agent's identity is an IAM user's key (system properties, a link of the SDK's default chain), AssumeRole is
 * judged by moto against the role's trust policy (principal and external id), the ECR calls against the role's
 * policy, and the registry accepts only the login decoded from moto's authorization token.
 */
class EcrMotoTest extends AgentTestSupport {
    private static final int BULK_REPOSITORIES = 12;

    private MotoServer moto;
    private DistributionRegistry registry;
    private MotoAccount account;
    private TestImages.PushedImage app10;
    private TestImages.PushedImage app11;

    @BeforeAll
    void startAws() {
        moto = MotoServer.start();
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        app10 = TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI);
        app11 = TestImages.pushImage(registry, "team/app", "1.1", TestImages.Format.DOCKER_V2S2);
        // The registry knows the ECR login only: user AWS and moto's token password.
        registry.addUser("AWS", MotoAccount.REGISTRY_PASSWORD);

        account = new MotoAccount(moto).agentIdentity().roles();
        account.repository("team/app");
        account.repository("team/db");
        for (int i = 0; i < BULK_REPOSITORIES; i++) {
            account.repository(String.format("bulk/repo-%02d", i));
        }
        account.image("team/app", "1.0", Skopeo.inspectRaw(registry, "team/app:1.0"), app10.mediaType(),
                app10.manifestDigest());
        account.image("team/app", "1.1", Skopeo.inspectRaw(registry, "team/app:1.1"), app11.mediaType(),
                app11.manifestDigest());
        moto.enforceIam();

        // The agent's own identity, found by the default credential chain (its system-properties link).
        System.setProperty("aws.accessKeyId", account.agentAccessKeyId());
        System.setProperty("aws.secretAccessKey", account.agentSecretAccessKey());
        override("cragent.ecr.sts-endpoint-override", moto.endpoint().toString());
        override("cragent.ecr.api-endpoint-override", moto.endpoint().toString());
        override("cragent.ecr.registry-endpoint-override", registry.baseUrl());
        override("cragent.registry.insecure-hosts", registry.hostPort());
        override("cragent.ecr.page-size", "5");
    }

    @AfterAll
    void stopAws() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (account != null) {
            account.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static String ecr(String roleArn, String externalId) {
        String extra = externalId == null ? "{\"region\":\"" + MotoAccount.REGION + "\"}"
                : "{\"region\":\"" + MotoAccount.REGION + "\",\"externalId\":\"" + externalId + "\"}";
        String json = "{\"type\":\"ecr\",\"roleArn\":\"" + roleArn + "\",\"extra\":" + extra + "}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String reader() {
        return ecr(MotoAccount.READER_ROLE, null);
    }

    @Test
    void systemcheckAssumesTheRoleAndLogsInToTheRegistryWithTheDecodedToken() {
        Answer answer = get("/systemcheck", reader());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().path("type").asText()).isEqualTo("ecr");
        assertThat(answer.json().path("registry").asText()).isEqualTo(registry.hostPort());
    }

    @Test
    void aRoleThatRequiresAnExternalIdIsAssumedWithIt() {
        Answer answer = get("/systemcheck", ecr(MotoAccount.EXTERNAL_ID_ROLE, MotoAccount.EXTERNAL_ID));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    /**
     * The trust policy's {@code sts:ExternalId} condition refuses another id. (moto 5.2 lets a request with no
     * external id at all pass such a condition, where AWS refuses it; that case cannot be shown here.)
     */
    @Test
    void aWrongExternalIdIsRefusedAndNotEchoed() {
        Answer answer = get("/list", ecr(MotoAccount.EXTERNAL_ID_ROLE, "not-the-external-id"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("AUTH_FAILED");
        assertThat(answer.json().path("error").path("message").asText())
                .contains(MotoAccount.EXTERNAL_ID_ROLE).contains("trust policy").contains("external id");
        assertThat(answer.body()).doesNotContain("not-the-external-id");
        assertNoSecretIn(answer);
    }

    @Test
    void aRoleTheAgentMayNotAssumeIsRefused() {
        Answer answer = get("/list/team/app", ecr(MotoAccount.UNTRUSTED_ROLE, null));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("AUTH_FAILED");
        Answer missing = get("/list", ecr("arn:aws:iam::" + MotoAccount.ACCOUNT + ":role/no-such-role", null));
        assertThat(missing.status()).as(missing.toString()).isEqualTo(401);
        assertNoSecretIn(missing);
    }

    @Test
    void malformedRoleOrRegionIsA400BeforeAnyAwsCall() {
        Answer badArn = get("/list", ecr("arn:aws:iam::12:user/x", null));
        assertThat(badArn.status()).as(badArn.toString()).isEqualTo(400);
        assertThat(badArn.errorCode()).isEqualTo("INVALID_CREDENTIALS");
        String badRegion = Base64.getEncoder().encodeToString(("{\"type\":\"ecr\",\"roleArn\":\"" + MotoAccount.READER_ROLE
                + "\",\"extra\":{\"region\":\"evil.example.com/x\"}}").getBytes(StandardCharsets.UTF_8));
        Answer region = get("/list", badRegion);
        assertThat(region.status()).as(region.toString()).isEqualTo(400);
        assertThat(region.errorCode()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void listsEveryRepositoryThroughDescribeRepositories() {
        Answer answer = get("/list", reader());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        answer.json().forEach(n -> names.add(n.asText()));
        assertThat(names).hasSize(2 + BULK_REPOSITORIES).contains("team/app", "team/db", "bulk/repo-00", "bulk/repo-11");
    }

    @Test
    void listsTagsThroughListImages() {
        Answer answer = get("/list/team/app", reader());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<String> tags = new ArrayList<>();
        answer.json().forEach(n -> tags.add(n.asText()));
        assertThat(tags).containsExactlyInAnyOrder("1.0", "1.1");
        Answer empty = get("/list/team/db", reader());
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json()).isEmpty();
        Answer page = get("/list-paginated/team/app?pageSize=10", reader());
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.json().path("tags")).hasSize(2);
        assertThat(page.json().path("next").isNull()).isTrue();
    }

    @Test
    void tagMetadataComesFromDescribeImagesWithThePushTime() {
        Instant before = Instant.now().minus(Duration.ofMinutes(10));
        Answer answer = get("/list-with-metadata/team/app", reader());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        Map<String, JsonNode> byTag = new HashMap<>();
        answer.json().forEach(n -> byTag.put(n.path("tag").asText(), n));
        assertThat(byTag).containsOnlyKeys("1.0", "1.1");
        assertThat(byTag.get("1.0").path("digest").asText()).isEqualTo(app10.manifestDigest());
        assertThat(byTag.get("1.0").path("mediaType").asText()).isEqualTo(app10.mediaType());
        assertThat(byTag.get("1.1").path("digest").asText()).isEqualTo(app11.manifestDigest());
        assertThat(Instant.parse(byTag.get("1.0").path("lastPushed").asText())).isAfter(before).isBefore(Instant.now());
    }

    @Test
    void anUnknownRepositoryIsA404() {
        Answer answer = get("/list/team/nope", reader());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
        assertThat(answer.errorCode()).isEqualTo("REPOSITORY_NOT_FOUND");
    }

    @Test
    void imageMetadataComesFromTheRegistryWithTheEcrLogin() {
        Answer answer = get("/image-metadata/team/app:1.0", reader());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().path("digest").asText()).isEqualTo(app10.manifestDigest());
        assertThat(answer.json().path("configDigest").asText()).isEqualTo(app10.configDigest());
        Answer state = get("/get-state-identifier?image=team/app:1.1", reader());
        assertThat(state.status()).as(state.toString()).isEqualTo(200);
        assertThat(state.json().path("stateIdentifier").asText()).isEqualTo(app11.manifestDigest());
    }

    /** moto's tokens say they expired in 2015: each request must therefore obtain a new session. */
    @Test
    void anExpiredTokenIsRenewedForTheNextRequest() {
        EcrApi api = context.getRegistry().lookupByNameAndType("ecrApi", EcrApi.class);
        long before = api.sessions().renewals();
        assertThat(get("/image-metadata/team/app:1.0", reader()).status()).isEqualTo(200);
        assertThat(get("/image-metadata/team/app:1.0", reader()).status()).isEqualTo(200);
        assertThat(api.sessions().renewals() - before).isEqualTo(2);
    }

    private void assertNoSecretIn(Answer answer) {
        assertThat(answer.body()).doesNotContain(account.agentSecretAccessKey()).doesNotContain(account.agentAccessKeyId())
                .doesNotContain(MotoAccount.REGISTRY_PASSWORD).doesNotContain(MotoAccount.EXTERNAL_ID);
    }
}
