package io.cragent.scan.debian;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian 12 reference test image of scanning.md §10, built by {@value #SCRIPT} (debootstrap + umoci, no Docker
 * engine; cached in {@code ${CR_AGENT_CACHE:-~/.cache/cr-agent}/debian-test-image/}).
 */
public final class DebianTestImage {
    public static final String SCRIPT = "scripts/build-debian-test-image.sh";
    public static final String ARCHIVE_NAME = "debian-test-image.oci.tar";
    public static final Duration TIMEOUT = Duration.ofMinutes(10);

    private DebianTestImage() {
    }

    /**
     * Runs the build script into {@code outDir} and returns the oci-archive it produced. Fails (never skips) with
     * the script's output when it exits non-zero or times out.
     */
    public static Path build(Path outDir) throws IOException, InterruptedException {
        Path script = Path.of(SCRIPT).toAbsolutePath();
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " is missing (run the tests from the project directory)");
        }
        Path log = Files.createTempFile("build-debian-test-image", ".log");
        try {
            Process process = new ProcessBuilder(List.of("bash", script.toString(), outDir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(SCRIPT + " timed out after " + TIMEOUT + ":\n" + read(log));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(SCRIPT + " exited " + process.exitValue() + ":\n" + read(log));
            }
            Path archive = outDir.resolve(ARCHIVE_NAME);
            if (!Files.isRegularFile(archive)) {
                throw new AssertionError(SCRIPT + " produced no " + archive + ":\n" + read(log));
            }
            return archive;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
