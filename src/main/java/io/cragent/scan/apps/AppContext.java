package io.cragent.scan.apps;

import java.util.List;

/**
 * What application analyzers may need besides the files.
 *
 * @param imageName the image as {@code name:tag} (the {@code origin} of jar fingerprints)
 * @param warnings  where to add notes for {@code pluginWarnings}
 */
public record AppContext(String imageName, List<String> warnings) {
}
