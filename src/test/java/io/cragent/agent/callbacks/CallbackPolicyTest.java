package io.cragent.agent.callbacks;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where callbacks may go: BROKER_CLIENT_URL's origin, CR_AGENT_CALLBACK_HOSTS, never metadata addresses. */
class CallbackPolicyTest {

    @Test
    void theBrokerClientsOriginIsTheDefaultAndIsAllowed() {
        CallbackPolicy policy = new CallbackPolicy("http://127.0.0.1:7341", Set.of());
        assertThat(policy.baseFor(null, "callbackUrl")).isEqualTo("http://127.0.0.1:7341");
        assertThat(policy.baseFor("http://127.0.0.1:7341/api/v2/import/result", "callbackUrl"))
                .isEqualTo("http://127.0.0.1:7341");
        assertThat(policy.baseFor("http://127.0.0.1:7341/prefix", "callbackUrl")).isEqualTo("http://127.0.0.1:7341/prefix");
        for (String other : new String[] {"http://127.0.0.1:7342", "https://127.0.0.1:7341", "http://localhost:7341",
                "http://127.0.0.2:7341"}) {
            assertRefused(policy, other);
        }
    }

    @Test
    void listedHostsAllowAnyPortOrOne() {
        CallbackPolicy policy = new CallbackPolicy("", Set.of("broker-client", "10.0.0.5:7341"));
        assertThat(policy.baseFor(null, "callbackUrl")).isNull();
        assertThat(policy.baseFor("https://Broker-Client:8443", "callbackUrl")).isEqualTo("https://broker-client:8443");
        assertThat(policy.baseFor("http://10.0.0.5:7341", "callbackUrl")).isEqualTo("http://10.0.0.5:7341");
        assertRefused(policy, "http://10.0.0.5:7342");
        assertRefused(policy, "http://10.0.0.6:7341");
    }

    @Test
    void withNothingConfiguredNoRequestMayNameACallback() {
        assertRefused(new CallbackPolicy(null, Set.of()), "http://127.0.0.1:7341");
    }

    @Test
    void metadataAndOtherForbiddenAddressesStayRefusedEvenWhenListed() {
        CallbackPolicy policy = new CallbackPolicy("", Set.of("169.254.169.254", "[fd00:ec2::254]", "224.0.0.1",
                "0.0.0.0", "2852039166"));
        for (String url : new String[] {"http://169.254.169.254", "http://[fd00:ec2::254]", "http://224.0.0.1",
                "http://0.0.0.0", "http://2852039166"}) {
            assertRefused(policy, url);
        }
        assertThatThrownBy(() -> new CallbackPolicy("http://169.254.169.254", Set.of()).baseFor(null, "callbackUrl"))
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.CALLBACK_NOT_ALLOWED));
    }

    private static void assertRefused(CallbackPolicy policy, String url) {
        assertThatThrownBy(() -> policy.baseFor(url, "callbackUrl")).as(url).isInstanceOf(AgentException.class)
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.CALLBACK_NOT_ALLOWED))
                .hasMessageContaining("callbackUrl");
    }
}
