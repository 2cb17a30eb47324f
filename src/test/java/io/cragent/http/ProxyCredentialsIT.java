package io.cragent.http;

import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.ForwardProxy;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.RunningJar;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's jar with {@code HTTPS_PROXY=http://user:password@proxy}, at its most verbose, in front of the TLS
 * registry: the {@code CONNECT} carries the credentials (so the jar's start-up lets Basic reach tunnels, which the
 * JDK forbids by default), and with a wrong password the answer is the clear unreachable-registry error. Neither
 * answer nor output holds the password in any form.
 */
class ProxyCredentialsIT {
    private static final String USER = "it-proxy-user";
    private static final String PASSWORD = "It:pr0xy@pass/word";
    private static final String WRONG = "wrong-It-pr0xy-pass";

    @Test
    void theJarSendsProxyCredentialsOnConnectAndNeverPrintsThem() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        try (ForwardProxy proxy = ForwardProxy.requiring(USER, PASSWORD);
             DistributionRegistry registry = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD)) {
            TestImages.pushImage(registry, "it/secure", "3.0", TestImages.Format.OCI);
            String credentials = base64("{\"type\":\"docker-hub\",\"username\":\"" + registry.username()
                    + "\",\"password\":\"" + registry.password() + "\",\"registryBase\":\"" + registry.hostPort() + "\"}");
            int rightPort = FreePorts.next();
            int wrongPort = FreePorts.next();
            try (RunningJar right = RunningJar.start(javaHome, agentEnv(rightPort, proxy.url(USER, PASSWORD), registry), rightPort);
                 RunningJar wrong = RunningJar.start(javaHome, agentEnv(wrongPort, proxy.url(USER, WRONG), registry), wrongPort)) {
                HttpResponse<String> tags = get(rightPort, "/list/it%2Fsecure", credentials);
                assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
                assertThat(tags.body()).isEqualTo("[\"3.0\"]");
                assertThat(proxy.seen()).contains(new ForwardProxy.Seen("CONNECT " + registry.hostPort(),
                        basic(USER, PASSWORD), 200));

                HttpResponse<String> refused = get(wrongPort, "/list/it%2Fsecure", credentials);
                assertThat(refused.statusCode()).isEqualTo(502);
                assertThat(refused.body()).contains("REGISTRY_UNAVAILABLE",
                        "the proxy " + proxy.url() + " refused the credentials in HTTPS_PROXY (HTTP 407)");

                List<String> secrets = List.of(PASSWORD, WRONG, "It%3Apr0xy%40pass%2Fword", basic(USER, PASSWORD).substring(6),
                        basic(USER, WRONG).substring(6));
                for (String text : List.of(right.output(), wrong.output(), refused.body())) {
                    assertThat(text).contains("127.0.0.1");
                    secrets.forEach(secret -> assertThat(text).doesNotContain(secret));
                }
                assertThat(right.output()).contains("outbound proxies: https and wss through " + proxy.url()
                        + " (with credentials)");
            }
        }
    }

    private static Map<String, String> agentEnv(int port, String proxyUrl, DistributionRegistry registry) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("LOG_LEVEL", "trace", "CAMEL_LOG_LEVEL", "trace",
                "CR_AGENT_TRACE", "true", "SNYK_PORT", String.valueOf(port), "CR_AGENT_HOST", "127.0.0.1",
                "CR_AGENT_ALLOW_LOOPBACK_REGISTRY", "true", "CA_CERT", registry.caCertPath().toString(),
                "HTTPS_PROXY", proxyUrl, "HTTP_PROXY", proxyUrl));
        env.put("CR_AGENT_DATA_DIR", Files.createTempDirectory("proxy-it").toString());
        return env;
    }

    private static HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + base64(user + ":" + password);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
