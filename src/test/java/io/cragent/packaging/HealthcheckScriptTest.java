package io.cragent.packaging;

import com.sun.net.httpserver.HttpServer;
import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.Processes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The image's HEALTHCHECK script (docker/healthcheck.sh) against the real agent, on either role's port. */
class HealthcheckScriptTest extends AgentTestSupport {

    private static int check(int agentPort, int clientPort) {
        return Processes.run(Duration.ofSeconds(20), List.of("bash", "docker/healthcheck.sh"),
                Map.of("SNYK_PORT", String.valueOf(agentPort), "PORT", String.valueOf(clientPort)), null).exitCode();
    }

    @Test
    void healthyWhenTheAgentAnswersOnSnykPort() {
        assertThat(check(agentPort, FreePorts.next())).isZero();
    }

    @Test
    void healthyWhenTheClientsPortAnswers() {
        assertThat(check(FreePorts.next(), agentPort)).isZero();
    }

    @Test
    void unhealthyWhenNothingListens() {
        assertThat(check(FreePorts.next(), FreePorts.next())).isNotZero();
    }

    @Test
    void unhealthyWhenHealthcheckIsNot200() throws IOException {
        HttpServer failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        failing.createContext("/healthcheck", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        failing.start();
        try {
            assertThat(check(failing.getAddress().getPort(), FreePorts.next())).isNotZero();
        } finally {
            failing.stop(0);
        }
    }
}
