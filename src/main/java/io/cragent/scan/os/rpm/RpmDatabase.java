package io.cragent.scan.os.rpm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Entry point for the scanner: recognises rpm database paths and reads the installed packages from a database file
 * held in memory, whatever its backend (BerkeleyDB hash, NDB or SQLite).
 */
public final class RpmDatabase {
    /** The exact in-image paths of the rpm databases (spec §5.1). */
    public static final Set<String> PATHS = Set.of(
            "/var/lib/rpm/Packages", "/usr/lib/sysimage/rpm/Packages",
            "/var/lib/rpm/Packages.db", "/usr/lib/sysimage/rpm/Packages.db",
            "/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite");

    /** Reading stops past this many entries; rpm's own tools use the same sanity limit. */
    static final int MAX_ENTRIES = 50_000;

    public enum Format {
        BERKELEY_DB, NDB, SQLITE;

        /** The format a database file name implies: {@code Packages}, {@code Packages.db}, {@code rpmdb.sqlite}. */
        public static Optional<Format> ofPath(String path) {
            int slash = path.lastIndexOf('/');
            return switch (path.substring(slash + 1)) {
                case "Packages" -> Optional.of(BERKELEY_DB);
                case "Packages.db" -> Optional.of(NDB);
                case "rpmdb.sqlite" -> Optional.of(SQLITE);
                default -> Optional.empty();
            };
        }
    }

    /**
     * What a database held.
     *
     * @param packages        valid packages in database order, without {@code gpg-pubkey} entries
     * @param skippedInvalid  entries skipped because they could not be read or lacked NAME, VERSION, RELEASE or SIZE
     * @param skippedGpgPubkeys imported signing keys ({@code gpg-pubkey}), which are not software
     * @param firstProblem    why the first invalid entry was skipped (for a warning), or null when none was
     */
    public record Result(Format format, List<RpmPackage> packages, int skippedInvalid, int skippedGpgPubkeys,
                         String firstProblem) {
        public Result {
            packages = List.copyOf(packages);
        }
    }

    private RpmDatabase() {
    }

    /** True for exactly the six rpm database paths the scanner must buffer. */
    public static boolean matches(String absolutePath) {
        return PATHS.contains(absolutePath);
    }

    /**
     * Reads the packages of the database whose in-image path is {@code path} (its file name picks the format).
     *
     * @throws RpmDatabaseException     when the file is not a readable database of that format
     * @throws IllegalArgumentException when the file name is not one of an rpm database
     */
    public static Result read(String path, byte[] content) throws RpmDatabaseException {
        return read(path, content, null);
    }

    /** As {@link #read(String, byte[])}, with SQLite's temporary copy made under {@code tempRoot} (for tests). */
    static Result read(String path, byte[] content, Path tempRoot) throws RpmDatabaseException {
        Format format = Format.ofPath(path)
                .orElseThrow(() -> new IllegalArgumentException("not an rpm database file name: " + path));
        Collector collector = new Collector();
        switch (format) {
            case BERKELEY_DB -> BerkeleyDbPackages.read(content, collector);
            case NDB -> NdbPackages.read(content, collector);
            case SQLITE -> SqlitePackages.read(content, collector, tempRoot);
            default -> throw new IllegalStateException(format.toString());
        }
        return new Result(format, collector.packages, collector.invalid, collector.gpgPubkeys,
                collector.firstProblem);
    }

    /** Turns blobs into packages; a blob that does not decode counts as invalid instead of failing the database. */
    private static final class Collector implements HeaderSink {
        final List<RpmPackage> packages = new ArrayList<>();
        int invalid;
        int gpgPubkeys;
        String firstProblem;

        @Override
        public void header(byte[] buffer, int offset, int length) throws RpmDatabaseException {
            countEntry();
            Optional<RpmPackage> pkg;
            try {
                pkg = RpmPackage.from(RpmHeader.parse(buffer, offset, length));
            } catch (RpmDatabaseException e) {
                skip(e.getMessage());
                return;
            }
            if (pkg.isEmpty()) {
                skip("header lacks NAME, VERSION, RELEASE or SIZE");
            } else if ("gpg-pubkey".equals(pkg.get().name())) {
                gpgPubkeys++;
            } else {
                packages.add(pkg.get());
            }
        }

        @Override
        public void unreadable(String reason) throws RpmDatabaseException {
            countEntry();
            skip(reason);
        }

        private void skip(String reason) {
            if (invalid++ == 0) {
                firstProblem = reason;
            }
        }

        private void countEntry() throws RpmDatabaseException {
            if (packages.size() + invalid + gpgPubkeys >= MAX_ENTRIES) {
                throw new RpmDatabaseException("rpm database holds more than " + MAX_ENTRIES + " entries");
            }
        }
    }
}
