package io.cragent.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real snyk-broker 5.22.14 installed by {@code scripts/install-snyk-broker.sh} into
 * {@code $CR_AGENT_BROKER_DIR}, default {@code ~/.cache/cr-agent/snyk-broker-5.22.14}. {@link #directory()} fails
 * (it never skips) when the install is missing.
 */
public final class SnykBrokerInstall {

    public static final String VERSION = "5.22.14";
    public static final String DIR_ENV = "CR_AGENT_BROKER_DIR";

    private SnykBrokerInstall() {
    }

    public static Path directory() {
        String configured = System.getenv(DIR_ENV);
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "cr-agent", "snyk-broker-" + VERSION);
        Path cli = dir.resolve("node_modules/snyk-broker/dist/cli/index.js");
        if (!Files.isRegularFile(cli) || !Files.isRegularFile(dir.resolve("config.default.json"))) {
            throw new IllegalStateException("snyk-broker " + VERSION + " is not installed in " + dir
                    + ": run scripts/install-snyk-broker.sh");
        }
        return dir;
    }
}
