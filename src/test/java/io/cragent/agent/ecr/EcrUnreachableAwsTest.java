package io.cragent.agent.ecr;

import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** STS that does not answer (nothing listens on its port): a 502 after the SDK's attempts, quickly, with no secret. */
class EcrUnreachableAwsTest extends AgentTestSupport {
    private static final String SECRET = "agent-secret-access-key-never-shown";

    @BeforeAll
    void nowhere() {
        String closed = "http://127.0.0.1:" + FreePorts.next();
        System.setProperty("aws.accessKeyId", "AKIAAGENTIDENTITY002");
        System.setProperty("aws.secretAccessKey", SECRET);
        override("cragent.ecr.sts-endpoint-override", closed);
        override("cragent.ecr.api-endpoint-override", closed);
    }

    @AfterAll
    void clearIdentity() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void unreachableStsIsA502WithoutSecrets() {
        String json = "{\"type\":\"ecr\",\"roleArn\":\"arn:aws:iam::123456789012:role/r\",\"extra\":{\"region\":\"eu-west-1\",\"externalId\":\"ext-secretish\"}}";
        long start = System.nanoTime();
        Answer answer = get("/systemcheck", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(502);
        assertThat(answer.errorCode()).isEqualTo("REGISTRY_UNAVAILABLE");
        assertThat(answer.json().path("error").path("message").asText()).contains("AWS STS in eu-west-1");
        assertThat(answer.body()).doesNotContain(SECRET).doesNotContain("AKIAAGENTIDENTITY002").doesNotContain("ext-secretish");
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }
}
