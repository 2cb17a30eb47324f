package io.cragent.scan;

/**
 * Limits and knobs of one scanner.
 *
 * @param maxImageSize    compressed bytes an image may have, checked on the manifest and again while streaming
 * @param uncompressedCap bytes one layer may expand to (decompression-bomb guard)
 * @param parallelism     layers read at once
 */
public record ScanSettings(long maxImageSize, long uncompressedCap, int parallelism, String pluginVersion) {

    private static final long DEFAULT_MAX_IMAGE_SIZE = 2_147_483_648L;

    public static ScanSettings defaults() {
        return withMaxImageSize(DEFAULT_MAX_IMAGE_SIZE);
    }

    /** {@code SNYK_MAX_IMAGE_SIZE_IN_BYTES} when set to a positive number, else the 2 GiB default. */
    public static ScanSettings fromEnvironment(java.util.Map<String, String> env) {
        String value = env.get("SNYK_MAX_IMAGE_SIZE_IN_BYTES");
        try {
            long max = value == null || value.isBlank() ? DEFAULT_MAX_IMAGE_SIZE : Long.parseLong(value.trim());
            return withMaxImageSize(max > 0 ? max : DEFAULT_MAX_IMAGE_SIZE);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SNYK_MAX_IMAGE_SIZE_IN_BYTES must be a number of bytes");
        }
    }

    /** The uncompressed cap follows: 4× the image limit (a decompression-bomb guard). */
    public static ScanSettings withMaxImageSize(long max) {
        return new ScanSettings(max, 4 * max, 2, "cr-agent-" + io.cragent.agent.AgentInfo.versionOf(ScanSettings.class));
    }
}
