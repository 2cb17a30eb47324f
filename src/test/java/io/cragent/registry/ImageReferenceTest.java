package io.cragent.registry;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageReferenceTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @Test
    void parsesTagsDigestsAndDefaults() {
        assertThat(ImageReference.parse("team/app:1.2", "r:5000")).isEqualTo(new ImageReference("team/app", "1.2", null));
        assertThat(ImageReference.parse("app", "r:5000")).isEqualTo(new ImageReference("app", "latest", null));
        assertThat(ImageReference.parse("app@" + DIGEST, "r:5000").reference()).isEqualTo(DIGEST);
        assertThat(ImageReference.parse("app:v1@" + DIGEST, "r:5000")).isEqualTo(new ImageReference("app", "v1", DIGEST));
        assertThat(ImageReference.parse("r:5000/team/app:1", "r:5000").repository()).isEqualTo("team/app");
    }

    @Test
    void refusesBadNamesAndOtherRegistries() {
        for (String bad : new String[]{"../etc/passwd", "App", "a//b", "a/./b", "a:b:c", "a@sha256:zz", "a:" + "x".repeat(129), "a\u0000b", ""}) {
            assertThatThrownBy(() -> ImageReference.parse(bad, "r:5000")).as(bad).isInstanceOf(AgentException.class);
        }
        assertThatThrownBy(() -> ImageReference.parse("evil.example.com/app:1", "r:5000"))
                .extracting(e -> ((AgentException) e).code()).isEqualTo(ErrorCode.REGISTRY_NOT_ALLOWED);
    }
}
