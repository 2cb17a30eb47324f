package io.cragent.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Locates {@code shared/fixtures} (image archives, OS and RPM databases; see its README). Order: system property
 * {@code fixtures.dir}, then {@code ../shared/fixtures} relative to the project directory (CI clones the repository
 * with {@code shared/} beside it), then {@code /work/shared/fixtures}. Fails with the places tried when none exists.
 */
public final class SharedFixtures {

    public static final String PROPERTY = "fixtures.dir";

    private SharedFixtures() {
    }

    /** The fixtures directory; throws (naming every candidate) when it cannot be found. */
    public static Path dir() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            Path explicit = Path.of(property).toAbsolutePath().normalize();
            if (!Files.isDirectory(explicit)) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + property + " is not a directory");
            }
            return explicit;
        }
        Path project = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        candidates.add(project.resolve("../shared/fixtures").normalize());
        candidates.add(Path.of("/work/shared/fixtures"));
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate.resolve("archives"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared fixtures not found; tried " + candidates
                + " (set -D" + PROPERTY + "=<dir> to point at shared/fixtures)");
    }

    /** {@code archives/<name>}, e.g. {@code docker-save-nginx.tar}; throws when the file is missing. */
    public static Path archive(String name) {
        return file("archives/" + name);
    }

    /** Any file below the fixtures directory, e.g. {@code rpmdb/ndb-sle15-bci/Packages.db}. */
    public static Path file(String relative) {
        Path path = dir().resolve(relative);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("fixture missing: " + path);
        }
        return path;
    }
}
