package io.cragent.scan.os.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Untrusted bytes: every read must end, quickly, in a (possibly shorter) result or an {@link RpmDatabaseException} —
 * never another exception, a hang or an enormous allocation. Seeds are fixed so a failure can be replayed.
 */
class RpmDatabaseHostileInputTest {
    private static final int MUTATIONS_PER_FIXTURE = 300;
    private static final Duration PER_CALL = Duration.ofSeconds(2);

    /**
     * Fixture, in-image path, how many leading bytes hold the structures worth aiming at, and the page size whose
     * page headers (next-page links, lengths, types) are worth aiming at too (0: none).
     */
    private record Target(String fixture, String path, int structureBytes, int pageSize) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target(RpmDatabaseFixturesTest.LIBUUID_BDB, "/var/lib/rpm/Packages", 3 * 4096, 4096),
            new Target(RpmDatabaseFixturesTest.GENERATED_BDB, "/var/lib/rpm/Packages", 3 * 4096, 4096),
            new Target(RpmDatabaseFixturesTest.SLE_NDB, "/usr/lib/sysimage/rpm/Packages.db", 4096 + 4096, 0),
            new Target(RpmDatabaseFixturesTest.MARINER_SQLITE, "/var/lib/rpm/rpmdb.sqlite", 64 * 1024, 4096));

    private long slowestCallNanos;

    @Test
    void truncatedFiles() {
        for (Target t : TARGETS) {
            byte[] full = RpmDatabaseFixturesTest.fixture(t.fixture());
            for (int length : new int[] {0, 1, 7, 31, 32, 100, 511, 512, 4095, 4096, 4097, 8192, full.length / 2,
                    full.length - 4096, full.length - 1}) {
                readSafely(t, Arrays.copyOf(full, length), "truncated to " + length);
            }
        }
    }

    @Test
    void zeroFilledFiles() {
        for (Target t : TARGETS) {
            for (int length : new int[] {1, 32, 512, 4096, 65536, 1 << 20}) {
                Outcome o = readSafely(t, new byte[length], "zero-filled " + length);
                assertThat(o.result == null || o.result.packages().isEmpty()).as(t.path() + " " + length).isTrue();
            }
        }
    }

    @Test
    void randomFiles() {
        SplittableRandom random = new SplittableRandom(20240611);
        for (Target t : TARGETS) {
            for (int i = 0; i < 20; i++) {
                byte[] bytes = new byte[1 + random.nextInt(256 * 1024)];
                random.nextBytes(bytes);
                Outcome o = readSafely(t, bytes, "random #" + i);
                assertThat(o.result == null || o.result.packages().isEmpty()).isTrue();
            }
        }
    }

    @Test
    void seededMutationsOfEveryFixture() {
        long start = System.nanoTime();
        List<String> summary = new ArrayList<>();
        for (Target t : TARGETS) {
            byte[] original = RpmDatabaseFixturesTest.fixture(t.fixture());
            SplittableRandom random = new SplittableRandom(t.fixture().hashCode());
            long targetStart = System.nanoTime();
            int results = 0;
            int damaged = 0;
            int failures = 0;
            for (int i = 0; i < MUTATIONS_PER_FIXTURE; i++) {
                byte[] mutated = mutate(original, t, random);
                Outcome o = readSafely(t, mutated, "mutation #" + i);
                if (o.result != null) {
                    results++;
                    if (o.result.skippedInvalid() > 0) {
                        damaged++;
                    }
                } else {
                    failures++;
                }
            }
            summary.add(t.fixture() + ": " + results + " results (" + damaged + " with skipped entries), " + failures
                    + " RpmDatabaseExceptions, " + (System.nanoTime() - targetStart) / 1_000_000 + " ms");
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("mutations: " + summary + " in " + total.toMillis() + " ms, slowest call "
                + slowestCallNanos / 1_000_000 + " ms");
        assertThat(total).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void seededMutationsOfHeaderIndexes() {
        // Database-level mutations rarely land in a header's index, so aim at it directly.
        byte[] blob = HeaderBlobBuilder.pkg("openssl-libs", "3.0.7", "24.el9").int32(RpmHeader.TAG_EPOCH, 1)
                .string(RpmHeader.TAG_SOURCERPM, "openssl-3.0.7-24.el9.src.rpm")
                .stringArray(1117, RpmHeader.TYPE_STRING_ARRAY, "a", "b", "c")
                .stringArray(1004, RpmHeader.TYPE_I18NSTRING, "summary").build();
        int indexEnd = 8 + 16 * ByteBuffer.wrap(blob).getInt(0);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5000; i++) {
            byte[] m = blob.clone();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                int at = random.nextInt(indexEnd - 3);
                if (random.nextBoolean()) {
                    m[at] ^= (byte) (1 << random.nextInt(8));
                } else {
                    ByteBuffer.wrap(m).putInt(at, interesting(random));
                }
            }
            try {
                RpmHeader h = RpmHeader.parse(m, 0, random.nextInt(4) == 0 ? random.nextInt(m.length + 1) : m.length);
                RpmPackage.from(h);
                h.strings(1117);
                h.strings(1004);
            } catch (RpmDatabaseException expected) {
                // fine
            } catch (Throwable t) {
                fail("header mutation #" + i + " threw " + t, t);
            }
        }
    }

    /** Byte flips, interesting 32-bit values (both byte orders) and truncations, mostly in the structures. */
    private static byte[] mutate(byte[] original, Target t, SplittableRandom random) {
        byte[] m = original.clone();
        int edits = 1 + random.nextInt(6);
        for (int k = 0; k < edits; k++) {
            int at = switch (t.pageSize() == 0 ? random.nextInt(2) : random.nextInt(3)) {
                case 0 -> random.nextInt(m.length - 4);
                case 1 -> random.nextInt(Math.min(t.structureBytes(), m.length - 4));
                default -> random.nextInt(m.length / t.pageSize()) * t.pageSize() + random.nextInt(28);
            };
            switch (random.nextInt(3)) {
                case 0 -> m[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> ByteBuffer.wrap(m).order(random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                        .putInt(at, interesting(random));
                default -> m[at] = (byte) random.nextInt(256);
            }
        }
        if (random.nextInt(8) == 0) {
            m = Arrays.copyOf(m, random.nextInt(m.length));
        }
        return m;
    }

    private static int interesting(SplittableRandom random) {
        int[] values = {0, 1, 2, 3, 7, 8, 13, 16, 255, 4096, 0x7fff, 0xffff, 50_000, 50_001, 0x7fff_ffff,
            0x8000_0000, 0xffff_ffff, 0xfff0_0000};
        return random.nextInt(4) == 0 ? random.nextInt() : values[random.nextInt(values.length)];
    }

    private record Outcome(RpmDatabase.Result result, RpmDatabaseException error) {
    }

    private Outcome readSafely(Target t, byte[] content, String what) {
        long start = System.nanoTime();
        Outcome outcome;
        try {
            outcome = new Outcome(RpmDatabase.read(t.path(), content), null);
        } catch (RpmDatabaseException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                fail(t.fixture() + " " + what + " failed without a message", e);
            }
            outcome = new Outcome(null, e);
        } catch (Throwable e) {
            throw new AssertionError(t.fixture() + " " + what + " threw " + e, e);
        }
        long took = System.nanoTime() - start;
        slowestCallNanos = Math.max(slowestCallNanos, took);
        if (took > PER_CALL.toNanos()) {
            fail(t.fixture() + " " + what + " took " + took / 1_000_000 + " ms");
        }
        // Plain checks: AssertJ per package would dominate the run time of thousands of reads.
        if (outcome.result != null) {
            for (RpmPackage p : outcome.result.packages()) {
                if (p.name() == null || p.version() == null || p.release() == null) {
                    fail(t.fixture() + " " + what + " returned an incomplete package " + p);
                }
                p.fullVersion();
                p.sourceName();
                p.sourceVersion();
            }
        }
        return outcome;
    }
}
