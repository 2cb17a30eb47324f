package io.cragent.scan.os.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real databases under {@code fixtures/rpmdb/} (go-rpmdb test data, plus one generated BDB file). */
class RpmDatabaseFixturesTest {
    static final String LIBUUID_BDB = "bdb-libuuid/Packages";
    static final String GENERATED_BDB = "bdb-generated-129/Packages";
    static final String SLE_NDB = "ndb-sle15-bci/Packages.db";
    static final String MARINER_SQLITE = "sqlite-cbl-mariner-2.0/rpmdb.sqlite";

    static byte[] fixture(String name) {
        try (InputStream in = RpmDatabaseFixturesTest.class.getResourceAsStream("/fixtures/rpmdb/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a fixture under the in-image path its file name belongs to. */
    static RpmDatabase.Result read(String name) throws RpmDatabaseException {
        return RpmDatabase.read("/var/lib/rpm/" + name.substring(name.indexOf('/') + 1), fixture(name));
    }

    @Test
    void libuuidBerkeleyDb() throws Exception {
        RpmDatabase.Result result = read(LIBUUID_BDB);

        assertThat(result.format()).isEqualTo(RpmDatabase.Format.BERKELEY_DB);
        assertThat(result.skippedInvalid()).isZero();
        assertThat(result.skippedGpgPubkeys()).isZero();
        assertThat(result.packages()).hasSize(1);
        RpmPackage p = result.packages().get(0);
        assertThat(p.name()).isEqualTo("libuuid");
        assertThat(p.fullVersion()).isEqualTo("2.32.1-42.el8_8");
        assertThat(p.epoch()).isNull();
        assertThat(p.arch()).isEqualTo("x86_64");
        assertThat(p.sourceRpm()).isEqualTo("util-linux-2.32.1-42.el8_8.src.rpm");
        assertThat(p.sourceName()).isEqualTo("util-linux");
        assertThat(p.sourceVersion()).isEqualTo("2.32.1-42.el8_8");
        assertThat(p.modularityLabel()).isNull();
        assertThat(p.size()).isPositive();
    }

    @Test
    void sle15Ndb() throws Exception {
        RpmDatabase.Result result = read(SLE_NDB);

        assertThat(result.format()).isEqualTo(RpmDatabase.Format.NDB);
        assertThat(result.skippedInvalid()).isZero();
        assertThat(result.packages()).hasSize(35);
        // Slot order.
        assertThat(result.packages().get(0).name()).isEqualTo("system-user-root");
        assertThat(result.packages().get(34).name()).isEqualTo("rpm-ndb");
        assertThat(result.packages()).extracting(RpmPackage::name, RpmPackage::fullVersion, RpmPackage::arch,
                        RpmPackage::sourceName, RpmPackage::sourceVersion)
                .contains(tuple("bash", "4.4-19.6.1", "x86_64", "bash", "4.4-19.6.1"),
                        tuple("libreadline7", "7.0-19.6.1", "x86_64", "bash", "4.4-19.6.1"),
                        tuple("libstdc++6", "11.2.1+git610-1.3.9", "x86_64", "gcc11", "11.2.1+git610-1.3.9"));
    }

    @Test
    void marinerSqlite() throws Exception {
        RpmDatabase.Result result = read(MARINER_SQLITE);

        assertThat(result.format()).isEqualTo(RpmDatabase.Format.SQLITE);
        assertThat(result.skippedInvalid()).isZero();
        assertThat(result.packages()).hasSize(129);
        // hnum order.
        assertThat(result.packages().get(0).name()).isEqualTo("mariner-release");
        assertThat(result.packages().get(128).name()).isEqualTo("sqlite");
        assertThat(result.packages()).extracting(RpmPackage::name, RpmPackage::fullVersion)
                .contains(tuple("bash", "5.1.8-1.cm2"));
        // The three packages with an EPOCH tag in this database.
        assertThat(result.packages()).filteredOn(p -> p.epoch() != null)
                .extracting(RpmPackage::name, RpmPackage::fullVersion, RpmPackage::arch, RpmPackage::sourceName,
                        RpmPackage::sourceVersion)
                .containsExactly(
                        tuple("ca-certificates-tools", "1:2.0.0-1.cm2", "noarch", "ca-certificates", "2.0.0-1.cm2"),
                        tuple("ca-certificates-shared", "1:2.0.0-1.cm2", "noarch", "ca-certificates", "2.0.0-1.cm2"),
                        tuple("ca-certificates-base", "1:2.0.0-1.cm2", "noarch", "ca-certificates", "2.0.0-1.cm2"));
        assertThat(result.packages()).allSatisfy(p -> {
            assertThat(p.sourceName()).isNotBlank();
            assertThat(p.sourceVersion()).contains("-");
        });
    }

    @Test
    void generatedBerkeleyDbHoldsTheSamePackagesAsTheSqliteFile() throws Exception {
        RpmDatabase.Result bdb = read(GENERATED_BDB);
        RpmDatabase.Result sqlite = read(MARINER_SQLITE);

        assertThat(bdb.skippedInvalid()).isZero();
        assertThat(bdb.packages()).hasSize(129);
        assertThat(bdb.packages()).extracting(RpmPackage::name, RpmPackage::fullVersion)
                .containsExactlyInAnyOrderElementsOf(
                        sqlite.packages().stream().map(p -> tuple(p.name(), p.fullVersion())).toList());
        // Every field, not just name and version, survives the BDB overflow chains.
        assertThat(bdb.packages()).containsExactlyInAnyOrderElementsOf(sqlite.packages());
    }

    @Test
    void pathsAndFormats() {
        assertThat(RpmDatabase.PATHS).allSatisfy(p -> assertThat(RpmDatabase.matches(p)).isTrue());
        assertThat(List.of("/var/lib/rpm/Packages.bak", "/var/lib/rpm/Name", "var/lib/rpm/Packages",
                "/usr/lib/rpm/Packages", "/foo/var/lib/rpm/Packages", "/var/lib/rpm/packages",
                "/usr/lib/sysimage/rpm/rpmdb.sqlite-wal", ""))
                .allSatisfy(p -> assertThat(RpmDatabase.matches(p)).isFalse());
        assertThat(RpmDatabase.Format.ofPath("/usr/lib/sysimage/rpm/Packages.db")).contains(RpmDatabase.Format.NDB);
        assertThat(RpmDatabase.Format.ofPath("/var/lib/rpm/Packages")).contains(RpmDatabase.Format.BERKELEY_DB);
        assertThat(RpmDatabase.Format.ofPath("rpmdb.sqlite")).contains(RpmDatabase.Format.SQLITE);
        assertThatThrownBy(() -> RpmDatabase.read("/var/lib/rpm/Name", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
