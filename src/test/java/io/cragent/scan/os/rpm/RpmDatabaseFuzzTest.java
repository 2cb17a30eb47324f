package io.cragent.scan.os.rpm;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the rpm header, BerkeleyDB and NDB readers: every input must end in a result
 * or an {@link RpmDatabaseException}; any other exception, a stack overflow, an out-of-memory or a hang is a
 * finding. Seeds and past findings: {@code src/test/resources/io/cragent/scan/os/rpm/RpmDatabaseFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes one method for its {@code maxDuration}. (SQLite is native code: not fuzzed here.)
 */
class RpmDatabaseFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void rpmHeader(byte[] blob) {
        try {
            RpmPackage.from(RpmHeader.parse(blob));
        } catch (RpmDatabaseException expected) {
            // a clear refusal
        }
    }

    @FuzzTest(maxDuration = "10s")
    void berkeleyDb(byte[] packages) {
        read("/var/lib/rpm/Packages", packages);
    }

    @FuzzTest(maxDuration = "10s")
    void ndb(byte[] packagesDb) {
        read("/usr/lib/sysimage/rpm/Packages.db", packagesDb);
    }

    private static void read(String path, byte[] content) {
        try {
            RpmDatabase.read(path, content);
        } catch (RpmDatabaseException expected) {
            // a clear refusal
        }
    }
}
