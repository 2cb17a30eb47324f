package io.cragent.scan.os.rpm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

/**
 * Reads the header blobs of an rpm SQLite {@code rpmdb.sqlite} file (rpm ≥ 4.16): {@code SELECT blob FROM Packages}.
 *
 * <p>SQLite needs a file, and the scanner holds the database in memory, so the bytes are copied into a private
 * temporary directory that is removed afterwards, together with any {@code -shm}/{@code -wal} files SQLite makes.
 * The file is untrusted: it is opened read-only, {@code Packages} must be a real table (a view could generate rows
 * forever), and rows, value sizes and query time are capped.
 */
public final class SqlitePackages {
    static final int MAX_ROWS = 50_000;
    static final int MAX_VALUE_BYTES = 64 << 20;
    static final int QUERY_TIMEOUT_SECONDS = 10;

    private SqlitePackages() {
    }

    /** Sends every row's blob to {@code sink} in table order. */
    public static void read(byte[] db, HeaderSink sink) throws RpmDatabaseException {
        read(db, sink, null);
    }

    /** As {@link #read(byte[], HeaderSink)}, with the temporary directory made under {@code tempRoot} (null: default). */
    static void read(byte[] db, HeaderSink sink, Path tempRoot) throws RpmDatabaseException {
        Path dir;
        try {
            dir = tempRoot == null ? Files.createTempDirectory("cragent-rpmdb-")
                    : Files.createTempDirectory(tempRoot, "cragent-rpmdb-");
        } catch (IOException e) {
            throw new RpmDatabaseException("cannot create a temporary directory for the rpm sqlite database", e);
        }
        try {
            Path file = dir.resolve("rpmdb.sqlite");
            Files.write(file, db);
            query(file, sink);
        } catch (IOException e) {
            throw new RpmDatabaseException("cannot write the rpm sqlite database to a temporary file", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void query(Path file, HeaderSink sink) throws RpmDatabaseException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + file)) {
            ((SQLiteConnection) connection).setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES);
            requireTable(connection);
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                try (ResultSet rows = statement.executeQuery("SELECT blob FROM Packages")) {
                    int count = 0;
                    while (rows.next()) {
                        if (++count > MAX_ROWS) {
                            throw new RpmDatabaseException("rpm sqlite database has more than " + MAX_ROWS + " rows");
                        }
                        byte[] blob = rows.getBytes(1);
                        if (blob == null) {
                            sink.unreadable("rpm sqlite row " + count + " has no blob");
                        } else {
                            sink.header(blob, 0, blob.length);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new RpmDatabaseException("cannot read the rpm sqlite database: " + e.getMessage(), e);
        }
    }

    private static void requireTable(Connection connection) throws SQLException, RpmDatabaseException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT type FROM sqlite_master WHERE name = 'Packages' COLLATE NOCASE")) {
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new RpmDatabaseException("rpm sqlite database has no Packages table");
                }
                if (!"table".equals(rows.getString(1))) {
                    throw new RpmDatabaseException("rpm sqlite Packages is a " + rows.getString(1) + ", not a table");
                }
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // Best effort: a leftover temp file must not turn a successful read into a failure.
        }
    }
}
