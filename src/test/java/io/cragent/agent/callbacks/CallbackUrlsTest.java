package io.cragent.agent.callbacks;

import io.cragent.errors.AgentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallbackUrlsTest {

    @Test
    void aKnownCallbackSuffixAndTrailingSlashesAreRemoved() {
        assertThat(CallbackUrls.base("http://client:7341", "f")).isEqualTo("http://client:7341");
        assertThat(CallbackUrls.base("http://client:7341/", "f")).isEqualTo("http://client:7341");
        assertThat(CallbackUrls.base("http://Client:7341/api/v2/import/result", "f")).isEqualTo("http://client:7341");
        assertThat(CallbackUrls.base("https://client/prefix/api/v2/import/done", "f")).isEqualTo("https://client/prefix");
        assertThat(CallbackUrls.base("http://client:7341/api/v1/recurring-tests/dependencies", "f"))
                .isEqualTo("http://client:7341");
        assertThat(CallbackUrls.base("http://[::1]:7341/v2/import/result", "f")).isEqualTo("http://[::1]:7341");
        assertThat(CallbackUrls.base("  ", "f")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"client:7341", "ftp://client", "file:///etc/passwd", "http://user:pw@client:7341",
            "http://client:7341/?x=1", "http://client:7341/#f", "http:///path", "${BROKER_CLIENT_URL}",
            "http://client/a/../b"})
    void otherUrlsAreRefused(String url) {
        assertThatThrownBy(() -> CallbackUrls.base(url, "callbackUrl")).isInstanceOf(AgentException.class)
                .hasMessageContaining("callbackUrl");
    }
}
