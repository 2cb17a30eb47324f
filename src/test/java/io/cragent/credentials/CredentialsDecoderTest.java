package io.cragent.credentials;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialsDecoderTest {
    private final CredentialsDecoder decoder = new CredentialsDecoder();

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsSnykBytesWithTrailingNewlineAndLegacyType() {
        String line = "{\"type\":\"DockerHub\", \"username\":\"me\", \"password\":\"pw\", \"registryBase\":\"r.example.com\"}\n";
        RegistryCredentials c = decoder.decode(b64(line));
        assertThat(c.type()).isEqualTo(RegistryType.DOCKER_HUB);
        assertThat(c.username()).isEqualTo("me");
        assertThat(c.password()).isEqualTo("pw");
        assertThat(c.registryBase()).isEqualTo("r.example.com");
    }

    @Test
    void toleratesSchemeWordsUrlSafeAlphabetMissingPaddingAndRawJson() {
        String json = "{\"type\":\"harbor-cr\",\"username\":\"robot$ci\",\"password\":\"p?>>\",\"registryBase\":\"h.example.com\"}";
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        assertThat(decoder.decode("Bearer " + urlSafe).username()).isEqualTo("robot$ci");
        assertThat(decoder.decode("token " + b64(json).replaceAll("(.{10})", "$1\n")).password()).isEqualTo("p?>>");
        assertThat(decoder.decode(json).type()).isEqualTo(RegistryType.HARBOR_CR);
    }

    @Test
    void cutsUnescapedSnykValuesByPosition() {
        String gcpKey = "{\n  \"type\": \"service_account\",\n  \"private_key\": \"-----BEGIN\\nabc\"\n}";
        String line = "{\"type\":\"gcr\", \"username\":\"_json_key\", \"password\":\"" + gcpKey + "\", \"registryBase\":\"gcr.io\"}";
        RegistryCredentials c = decoder.decode(b64(line));
        assertThat(c.type()).isEqualTo(RegistryType.GCR);
        assertThat(c.password()).isEqualTo(gcpKey);
        assertThat(c.registryBase()).isEqualTo("gcr.io");
    }

    @Test
    void readsEcrShape() {
        String line = "{\"type\":\"ElasticCR\",\"roleArn\":\"arn:aws:iam::123456789012:role/R\",\"extra\":{\"region\":\"eu-west-1\",\"externalId\":\"\"}}";
        RegistryCredentials c = decoder.decode(b64(line));
        assertThat(c.type()).isEqualTo(RegistryType.ECR);
        assertThat(c.region()).isEqualTo("eu-west-1");
        assertThat(c.externalId()).isEmpty();
    }

    @Test
    void malformedInputIsRefusedWithoutEchoingIt() {
        assertInvalid(null);
        assertInvalid("not base64 at all !!!");
        assertInvalid(b64("{\"type\":\"docker-hub\",\"username\":\"u\",\"password\":\"s3cr3t-value\""));
        assertInvalid(b64("{\"type\":\"nope\",\"username\":\"u\",\"password\":\"s3cr3t-value\",\"registryBase\":\"x\"}"));
        assertInvalid(b64("{\"type\":\"acr\",\"username\":\"u\",\"password\":\"s3cr3t-value\"}"));
        assertInvalid(b64("[\"s3cr3t-value\"]"));
        assertThat(RegistryCredentials.basic(RegistryType.ACR, "u", "s3cr3t-value", "x").toString()).doesNotContain("s3cr3t");
    }

    private void assertInvalid(String value) {
        assertThatThrownBy(() -> decoder.decode(value))
                .isInstanceOf(AgentException.class)
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    }
}
