package io.cragent.scan.apps.java;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JavaReleaseTest {

    @Test
    void readsJavaVersionAsTheReferenceDoes() {
        assertThat(JavaRelease.version("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n"
                + "JAVA_VERSION_DATE=\"2026-04-21\"\n")).contains("25.0.3");
        assertThat(JavaRelease.version("JAVA_VERSION='17.0.2'")).contains("17.0.2");
        assertThat(JavaRelease.version("  JAVA_VERSION = 1.8.0_402 # comment\n")).contains("1.8.0_402");
        assertThat(JavaRelease.version("JAVA_VERSION=\"21\"\nJAVA_VERSION=\"17\"\n")).as("ambiguous").isEmpty();
        assertThat(JavaRelease.version("JAVA_VERSION=\"1..2\"")).isEmpty();
        assertThat(JavaRelease.version("JAVA_VERSION=\"17.\"")).as("must end alphanumeric").isEmpty();
        assertThat(JavaRelease.version("JAVA_VERSION=\"\"")).isEmpty();
        assertThat(JavaRelease.version("JAVA_VERSION=\"17\"\n\n")).as("no trailing-newline leniency needed")
                .isEqualTo(Optional.of("17"));
        assertThat(JavaRelease.version("")).isEmpty();
    }

    @Test
    void knowsWhereJdksKeepTheirReleaseFile() {
        assertThat(JavaRelease.isReleaseFile("/opt/java/openjdk/release")).isTrue();
        assertThat(JavaRelease.isReleaseFile("/usr/local/openjdk-17/release")).isTrue();
        assertThat(JavaRelease.isReleaseFile("/usr/lib/jvm/java-17-openjdk-amd64/release")).isTrue();
        assertThat(JavaRelease.isReleaseFile("/usr/java/jdk-21/release")).isTrue();
        assertThat(JavaRelease.isReleaseFile("/opt/java/openjdk/lib/release")).isFalse();
        assertThat(JavaRelease.isReleaseFile("/etc/release")).isFalse();
        assertThat(JavaRelease.isReleaseFile("/usr/lib/jvm/java-17/prerelease")).isFalse();
    }
}
