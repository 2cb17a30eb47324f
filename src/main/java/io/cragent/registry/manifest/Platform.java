package io.cragent.registry.manifest;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** {@code os/architecture[/variant]}, with architecture aliases folded to the OCI names. */
public record Platform(String os, String architecture, String variant) {
    private static final Map<String, String> ARCH_ALIASES = Map.of(
            "x86_64", "amd64", "x86-64", "amd64", "aarch64", "arm64", "i386", "386", "i686", "386");
    private static final Map<String, String> DEFAULT_VARIANT = Map.of("arm64", "v8", "arm", "v7", "amd64", "v1");

    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);

    public Platform {
        os = lower(os);
        architecture = lower(architecture);
        architecture = ARCH_ALIASES.getOrDefault(architecture, architecture);
        variant = variant == null || variant.isBlank() ? null : lower(variant);
    }

    /** Parses {@code linux/arm64/v8}; null or empty means linux/amd64. */
    public static Platform parse(String text) {
        if (text == null || text.isBlank()) {
            return LINUX_AMD64;
        }
        String[] parts = text.trim().split("/");
        if (parts.length < 2 || parts.length > 3 || !text.matches("[A-Za-z0-9._/-]{3,64}")
                || !Arrays.stream(parts).allMatch(part -> part.matches("[A-Za-z0-9][A-Za-z0-9._-]*"))) {
            throw new AgentException(ErrorCode.BAD_REQUEST, "platform must look like os/architecture[/variant]");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** The variant, or the architecture's implied one when absent (arm64 → v8, arm → v7, amd64 → v1). */
    public String effectiveVariant() {
        return variant != null ? variant : DEFAULT_VARIANT.get(architecture);
    }

    public boolean isUnknown() {
        return "unknown".equals(os) && "unknown".equals(architecture);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }

    private static String lower(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}
