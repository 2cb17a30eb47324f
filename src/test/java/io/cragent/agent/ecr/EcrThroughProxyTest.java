package io.cragent.agent.ecr;

import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.ForwardProxy;
import io.cragent.testsupport.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS SDK's calls (STS here, over https as in AWS) take HTTPS_PROXY too, with the proxy's credentials: the proxy
 * sees the AssumeRole tunnel (nothing answers behind it), first without them, then with them from the JVM's
 * authenticator, which the SDK's connection asks after the 407.
 */
class EcrThroughProxyTest extends AgentTestSupport {
    private ForwardProxy proxy;
    private String sts;

    @BeforeAll
    void throughProxy() throws IOException {
        proxy = ForwardProxy.requiring("aws-proxy-user", "aws proxy pass");
        sts = "127.0.0.1:" + FreePorts.next();
        System.setProperty("aws.accessKeyId", "AKIAAGENTIDENTITY003");
        System.setProperty("aws.secretAccessKey", "agent-secret-through-proxy");
        override("cragent.ecr.sts-endpoint-override", "https://" + sts);
        override("cragent.ecr.api-endpoint-override", "https://" + sts);
        override("cragent.ecr.max-attempts", "1");
        override("cragent.proxy.https", proxy.url("aws-proxy-user", "aws proxy pass"));
        override("cragent.proxy.http", proxy.url("aws-proxy-user", "aws proxy pass"));
    }

    @AfterAll
    void stop() throws IOException {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        proxy.close();
    }

    @Test
    void stsIsCalledThroughTheProxy() {
        String json = "{\"type\":\"ecr\",\"roleArn\":\"arn:aws:iam::123456789012:role/r\",\"extra\":{\"region\":\"eu-west-1\"}}";
        Answer answer = get("/systemcheck", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(502);
        String expected = "Basic " + Base64.getEncoder().encodeToString("aws-proxy-user:aws proxy pass".getBytes(StandardCharsets.UTF_8));
        assertThat(proxy.seen()).startsWith(new ForwardProxy.Seen("CONNECT " + sts, null, 407),
                new ForwardProxy.Seen("CONNECT " + sts, expected, 200));
    }
}
