package io.cragent.scan.apps;

import java.util.List;

/**
 * One application project found in the image, as a scan result after the OS one.
 *
 * @param type       the identity type: {@code npm}, {@code yarn}, {@code pnpm}, {@code pip}, {@code maven}, …
 * @param targetFile the identity's target file (a manifest, a directory or a binary path)
 * @param facts      its own facts in order ({@code depGraph} + {@code testedFiles}, or {@code jarFingerprints}); the
 *                   response adds {@code imageId}, {@code imageNames} and {@code pluginVersion} after them
 */
public record AppResult(String type, String targetFile, List<Fact> facts) {
}
