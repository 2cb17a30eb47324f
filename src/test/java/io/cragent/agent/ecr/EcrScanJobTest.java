package io.cragent.agent.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.MotoServer;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scan job with ECR credentials (a role, no registry): the job's image goes through the ecr route set, which
 * assumes the role at moto_server and logs in to the registry with the decoded token, then scans; a role the
 * agent may not assume gives that image an AUTH_FAILED error callback.
 */
class EcrScanJobTest extends AgentTestSupport {
    private MotoServer moto;
    private DistributionRegistry registry;
    private MotoAccount account;
    private FakeSaas saas;

    @BeforeAll
    void startAws() {
        moto = MotoServer.start();
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        TestImages.pushImage(registry, "team/app", "1.0", TestImages.Format.OCI,
                TestImages.ImageSpec.of(TestImages.Platform.LINUX_AMD64)
                        .withFile("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n")
                        .withFile("lib/apk/db/installed", "P:musl\nV:1.2.4-r2\nA:x86_64\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\n\n"));
        registry.addUser("AWS", MotoAccount.REGISTRY_PASSWORD);
        account = new MotoAccount(moto).agentIdentity().roles();
        moto.enforceIam();
        saas = new FakeSaas();
        System.setProperty("aws.accessKeyId", account.agentAccessKeyId());
        System.setProperty("aws.secretAccessKey", account.agentSecretAccessKey());
        override("cragent.ecr.sts-endpoint-override", moto.endpoint().toString());
        override("cragent.ecr.api-endpoint-override", moto.endpoint().toString());
        override("cragent.ecr.registry-endpoint-override", registry.baseUrl());
        override("cragent.registry.insecure-hosts", registry.hostPort());
    }

    @AfterAll
    void stopAws() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        Peers.closeAll(account, registry, moto, saas);
    }

    private static String ecr(String roleArn) {
        String json = "{\"type\":\"ecr\",\"roleArn\":\"" + roleArn + "\",\"extra\":{\"region\":\"" + MotoAccount.REGION + "\"}}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private String scan(String roleArn) {
        Answer accepted = post("/scan", "{\"credentials\":\"" + ecr(roleArn) + "\",\"images\":[\"team/app:1.0\"],"
                + "\"callbackUrl\":\"" + saas.origin() + "/api/v2/import/result\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        return accepted.json().path("jobId").asText();
    }

    @Test
    void theRoleIsAssumedAndTheImageScannedWithTheRegistryLogin() throws Exception {
        String jobId = scan(MotoAccount.READER_ROLE);
        FakeSaas.Callback result = saas.await(c -> c.path().equals("/api/v2/import/result") && c.body().contains(jobId),
                1, Duration.ofSeconds(60)).get(0);
        JsonNode body = JSON.readTree(result.body());
        assertThat(body.has("error")).as(result.body()).isFalse();
        assertThat(body.path("result").toString()).contains("musl@1.2.4-r2").contains("busybox@1.36.1-r15");
        assertThat(result.body()).doesNotContain(MotoAccount.REGISTRY_PASSWORD).doesNotContain(account.agentSecretAccessKey());
    }

    @Test
    void aRoleTheAgentMayNotAssumeFailsTheImageWithAuthFailed() throws Exception {
        String jobId = scan(MotoAccount.UNTRUSTED_ROLE);
        FakeSaas.Callback result = saas.await(c -> c.path().equals("/api/v2/import/result") && c.body().contains(jobId),
                1, Duration.ofSeconds(60)).get(0);
        assertThat(JSON.readTree(result.body()).path("error").path("code").asText()).isEqualTo("AUTH_FAILED");
        JsonNode done = JSON.readTree(saas.await(c -> c.path().equals("/api/v2/import/done") && c.body().contains(jobId),
                1, Duration.ofSeconds(30)).get(0).body());
        assertThat(done.path("images").get(0).path("state").asText()).isEqualTo("failed");
    }
}
