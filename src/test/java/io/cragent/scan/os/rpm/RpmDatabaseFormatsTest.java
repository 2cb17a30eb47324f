package io.cragent.scan.os.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format details and edge cases, on small databases written by the tests. */
class RpmDatabaseFormatsTest {
    static final String BDB = "/var/lib/rpm/Packages";
    static final String NDB = "/usr/lib/sysimage/rpm/Packages.db";
    static final String SQLITE = "/usr/lib/sysimage/rpm/rpmdb.sqlite";

    private static final List<byte[]> MIXED = List.of(
            HeaderBlobBuilder.pkg("bash", "5.2", "1").build(),
            HeaderBlobBuilder.pkg("gpg-pubkey", "fd431d51", "4ae0493b").build(),
            new HeaderBlobBuilder().string(RpmHeader.TAG_NAME, "no-size").string(RpmHeader.TAG_VERSION, "1")
                    .string(RpmHeader.TAG_RELEASE, "1").build(),
            HeaderBlobBuilder.pkg("zlib", "1.3", "2").int32(RpmHeader.TAG_EPOCH, 0).build());

    @TempDir
    Path temp;

    @Test
    void skipsGpgPubkeysAndCountsInvalidHeaders() throws Exception {
        for (RpmDatabase.Result result : List.of(
                RpmDatabase.read(BDB, BerkeleyDbFileBuilder.build(512, MIXED)),
                RpmDatabase.read(NDB, NdbFileBuilder.build(MIXED)),
                RpmDatabase.read(SQLITE, sqlite(MIXED)))) {
            assertThat(result.packages()).extracting(RpmPackage::name, RpmPackage::fullVersion)
                    .containsExactly(tuple("bash", "5.2-1"), tuple("zlib", "1.3-2"));
            assertThat(result.skippedGpgPubkeys()).as(result.format().name()).isEqualTo(1);
            assertThat(result.skippedInvalid()).as(result.format().name()).isEqualTo(1);
            assertThat(result.firstProblem()).contains("lacks NAME, VERSION, RELEASE or SIZE");
        }
    }

    @Test
    void berkeleyDbReadsAHashPageThatIsTheLastPage() throws Exception {
        byte[] db = BerkeleyDbFileBuilder.build(512, List.of(HeaderBlobBuilder.pkg("only", "1", "1").build()));
        assertThat(ByteBuffer.wrap(db).order(ByteOrder.LITTLE_ENDIAN).getInt(32)).isEqualTo(db.length / 512 - 1);
        assertThat(db[db.length - 512 + 25]).isEqualTo((byte) 13);

        assertThat(RpmDatabase.read(BDB, db).packages()).extracting(RpmPackage::name).containsExactly("only");
    }

    @Test
    void berkeleyDbAcceptsHashV8UnsortedPages() throws Exception {
        byte[] db = BerkeleyDbFileBuilder.build(1024, List.of(HeaderBlobBuilder.pkg("old", "1", "1").build()));
        db[db.length - 1024 + 25] = 2; // P_HASH_UNSORTED, written by BDB < 4.6 (RHEL 5, SLES 11)

        assertThat(RpmDatabase.read(BDB, db).packages()).extracting(RpmPackage::name).containsExactly("old");
    }

    @Test
    void berkeleyDbSkipsBrokenOverflowChains() throws Exception {
        byte[] libuuid = RpmDatabaseFixturesTest.fixture(RpmDatabaseFixturesTest.LIBUUID_BDB);
        // libuuid's header spans overflow pages 3..22 (4096-byte pages).
        assertBrokenChain(withLe32(libuuid, 10 * 4096 + 16, 5), "used twice");     // loop back
        assertBrokenChain(withLe32(libuuid, 10 * 4096 + 16, 10), "used twice");    // self loop
        assertBrokenChain(withLe32(libuuid, 10 * 4096 + 16, 999_999), "outside");  // beyond the file
        assertBrokenChain(withLe32(libuuid, 10 * 4096 + 16, 0), "chain ends");     // cut short
        assertBrokenChain(withLe32(libuuid, 10 * 4096 + 16, 1), "not an overflow page");
        int item = 2 * 4096 + (ByteBuffer.wrap(libuuid).order(ByteOrder.LITTLE_ENDIAN).getShort(2 * 4096 + 28) & 0xffff);
        assertBrokenChain(withLe32(libuuid, item + 8, -1), "impossible");          // absurd length
        assertBrokenChain(withLe32(libuuid, item + 8, 0), "impossible");
        assertBrokenChain(withLe32(libuuid, item + 4, 0), "outside");
    }

    @Test
    void berkeleyDbRejectsBadMetaPages() {
        byte[] libuuid = RpmDatabaseFixturesTest.fixture(RpmDatabaseFixturesTest.LIBUUID_BDB);
        assertRejected(BDB, withLe32(libuuid, 12, 0x00053162), "bad magic"); // a btree file
        assertRejected(BDB, withByte(libuuid, 25, 9), "not a hash meta page");
        assertRejected(BDB, withByte(libuuid, 24, 1), "encrypted");
        assertRejected(BDB, withLe32(libuuid, 20, 3000), "page size");
        assertRejected(BDB, withLe32(libuuid, 20, 1 << 17), "page size");
        assertRejected(BDB, withLe32(libuuid, 32, 23), "truncated");
        assertRejected(BDB, withLe32(libuuid, 32, -1), "truncated");
        assertRejected(BDB, withLe32(libuuid, 88, 50_001), "entries");
    }

    @Test
    void ndbSkipsBadSlotsAndBlobs() throws Exception {
        List<byte[]> two = List.of(HeaderBlobBuilder.pkg("a", "1", "1").build(),
                HeaderBlobBuilder.pkg("b", "1", "1").build());
        byte[] ndb = NdbFileBuilder.build(two);
        int slot0 = 32;
        int slot1 = 48;
        int blob1 = le32(ndb, slot1 + 8) * 16;

        assertSkipsOne(withByte(ndb, slot0, 'X'), "bad magic", "b");
        assertSkipsOne(withByte(ndb, blob1, 'X'), "bad magic", "a");
        assertSkipsOne(withLe32(ndb, blob1 + 4, 7), "belongs to package 7", "a");
        assertSkipsOne(withLe32(ndb, blob1 + 12, 1 << 20), "exceeds", "a");
        // Slot 1 claiming slot 0's blob (same package index, so only the overlap gives it away).
        assertSkipsOne(withLe32(withLe32(ndb, slot1 + 8, le32(ndb, slot0 + 8)), slot1 + 4, 1), "overlaps", "a");
        assertSkipsOne(withLe32(ndb, slot1 + 8, 3), "outside the blob area", "a");
        assertSkipsOne(withLe32(ndb, slot1 + 12, 0x7fff_ffff), "outside the blob area", "a");
        assertSkipsOne(withLe32(ndb, slot1 + 12, 0), "outside the blob area", "a");
        // A free slot (package index 0) is not an entry at all.
        assertThat(RpmDatabase.read(NDB, withLe32(ndb, slot1 + 4, 0)).skippedInvalid()).isZero();
    }

    @Test
    void ndbRejectsBadFileHeaders() {
        byte[] ndb = NdbFileBuilder.build(List.of(HeaderBlobBuilder.pkg("a", "1", "1").build()));
        assertRejected(NDB, withByte(ndb, 0, 'r'), "bad magic");
        assertRejected(NDB, withLe32(ndb, 4, 1), "version 1");
        assertRejected(NDB, withLe32(ndb, 12, 0), "slot page count 0");
        assertRejected(NDB, withLe32(ndb, 12, 2049), "slot page count 2049");
        assertRejected(NDB, withLe32(ndb, 12, 2), "truncated");
        assertRejected(NDB, new byte[31], "shorter than its header");
    }

    @Test
    void corruptSqliteFailsAndLeavesNoTemporaryFiles() throws Exception {
        byte[] good = RpmDatabaseFixturesTest.fixture(RpmDatabaseFixturesTest.MARINER_SQLITE);
        byte[] corrupt = good.clone();
        Arrays.fill(corrupt, 100, 200_000, (byte) 0x5a); // schema and the first b-tree pages

        assertThatThrownBy(() -> RpmDatabase.read(SQLITE, corrupt, temp)).isInstanceOf(RpmDatabaseException.class);
        assertThat(listing(temp)).isEmpty();

        assertThatThrownBy(() -> RpmDatabase.read(SQLITE, "not a database at all".repeat(300).getBytes(), temp))
                .isInstanceOf(RpmDatabaseException.class).hasMessageContaining("not a database");
        assertThat(listing(temp)).isEmpty();

        // The WAL-mode fixture makes SQLite create -shm/-wal files next to the copy; they go too.
        assertThat(RpmDatabase.read(SQLITE, good, temp).packages()).hasSize(129);
        assertThat(listing(temp)).isEmpty();
    }

    @Test
    void sqliteRequiresAPackagesTable() throws Exception {
        assertRejected(SQLITE, new byte[0], "no Packages table");
        byte[] view = sqlite("CREATE VIEW Packages AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
                + " SELECT zeroblob(16) AS blob FROM n");
        assertRejected(SQLITE, view, "not a table");
        assertRejected(SQLITE, sqlite("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY)"), "no such column");
    }

    @Test
    void sqliteCountsNullBlobs() throws Exception {
        byte[] db = sqlite("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB)",
                "INSERT INTO Packages (blob) VALUES (NULL)", "INSERT INTO Packages (blob) VALUES (x'00')");

        RpmDatabase.Result result = RpmDatabase.read(SQLITE, db);

        assertThat(result.packages()).isEmpty();
        assertThat(result.skippedInvalid()).isEqualTo(2);
        assertThat(result.firstProblem()).contains("no blob");
    }

    private static void assertBrokenChain(byte[] db, String problem) throws RpmDatabaseException {
        RpmDatabase.Result result = RpmDatabase.read(BDB, db);
        assertThat(result.packages()).isEmpty();
        assertThat(result.skippedInvalid()).isEqualTo(1);
        assertThat(result.firstProblem()).contains(problem);
    }

    private static void assertSkipsOne(byte[] ndb, String problem, String remaining) throws RpmDatabaseException {
        RpmDatabase.Result result = RpmDatabase.read(NDB, ndb);
        assertThat(result.packages()).extracting(RpmPackage::name).containsExactly(remaining);
        assertThat(result.skippedInvalid()).isEqualTo(1);
        assertThat(result.firstProblem()).contains(problem);
    }

    private static void assertRejected(String path, byte[] content, String message) {
        assertThatThrownBy(() -> RpmDatabase.read(path, content)).isInstanceOf(RpmDatabaseException.class)
                .hasMessageContaining(message);
    }

    private byte[] sqlite(List<byte[]> blobs) throws Exception {
        Path file = Files.createTempFile(temp, "db", ".sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO Packages (blob) VALUES (?)")) {
                for (byte[] blob : blobs) {
                    insert.setBytes(1, blob);
                    insert.executeUpdate();
                }
            }
        }
        return readAndDelete(file);
    }

    private byte[] sqlite(String... statements) throws Exception {
        Path file = Files.createTempFile(temp, "db", ".sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        return readAndDelete(file);
    }

    private static byte[] readAndDelete(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        return bytes;
    }

    private static List<Path> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    static int le32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    static byte[] withLe32(byte[] b, int at, int value) {
        byte[] copy = b.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return copy;
    }

    static byte[] withByte(byte[] b, int at, int value) {
        byte[] copy = b.clone();
        copy[at] = (byte) value;
        return copy;
    }
}
