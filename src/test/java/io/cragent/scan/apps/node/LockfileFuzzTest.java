package io.cragent.scan.apps.node;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of the npm, yarn (classic and berry) and pnpm lockfile readers, through the same
 * dispatch the analyzer uses: every input must give a graph or a {@link LockfileException}; any other exception, a
 * stack overflow, an out-of-memory or a hang is a finding. Seeds and past findings:
 * {@code src/test/resources/io/cragent/scan/apps/node/LockfileFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes one
 * method for its {@code maxDuration}.
 */
class LockfileFuzzTest {
    private static final byte[] MANIFEST = ("{\"name\":\"p\",\"version\":\"1.0.0\",\"dependencies\":{\"a\":\"^1.0.0\","
            + "\"b\":\"npm:c@2\"},\"devDependencies\":{\"d\":\"*\"},\"workspaces\":[\"packages/*\"]}")
            .getBytes(StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = "10s")
    void packageLock(byte[] lock) {
        graph("package-lock.json", lock);
    }

    @FuzzTest(maxDuration = "10s")
    void yarnLock(byte[] lock) {
        graph("yarn.lock", lock);
    }

    @FuzzTest(maxDuration = "10s")
    void pnpmLock(byte[] lock) {
        graph("pnpm-lock.yaml", lock);
    }

    private static void graph(String lockfile, byte[] lock) {
        try {
            LockfileProjects.graph(lockfile, PackageManifest.parse(MANIFEST), lock);
        } catch (LockfileException expected) {
            // a clear refusal
        }
    }
}
