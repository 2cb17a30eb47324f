package io.cragent.scan;

/**
 * Limits and knobs of one scanner.
 *
 * @param maxImageSize    compressed bytes an image may have, checked on the manifest and again while streaming
 * @param uncompressedCap bytes one layer may expand to (decompression-bomb guard)
 * @param parallelism     layers read at once
 */
public record ScanSettings(long maxImageSize, long uncompressedCap, int parallelism, String pluginVersion) {

    public static ScanSettings defaults() {
        long max = 2_147_483_648L;
        return new ScanSettings(max, 4 * max, 2, "cr-agent-" + io.cragent.agent.AgentInfo.versionOf(ScanSettings.class));
    }
}
