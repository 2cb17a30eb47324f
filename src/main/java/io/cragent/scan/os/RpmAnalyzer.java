package io.cragent.scan.os;

import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.os.rpm.RpmDatabase;
import io.cragent.scan.os.rpm.RpmDatabaseException;
import io.cragent.scan.os.rpm.RpmPackage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * RPM packages from the rpm database in whichever of its formats the image has. snyk ranks BerkeleyDB and NDB
 * before SQLite, so there are two analyzers, placed apart in the precedence list.
 */
public final class RpmAnalyzer implements OsPackageAnalyzer {
    private final Set<RpmDatabase.Format> formats;

    private RpmAnalyzer(Set<RpmDatabase.Format> formats) {
        this.formats = formats;
    }

    public static RpmAnalyzer berkeleyDbAndNdb() {
        return new RpmAnalyzer(Set.of(RpmDatabase.Format.BERKELEY_DB, RpmDatabase.Format.NDB));
    }

    public static RpmAnalyzer sqlite() {
        return new RpmAnalyzer(Set.of(RpmDatabase.Format.SQLITE));
    }

    @Override
    public String packageManager() {
        return "rpm";
    }

    @Override
    public FileMatcher matcher() {
        return FileMatcher.of(path -> RpmDatabase.matches(path)
                && RpmDatabase.Format.ofPath(path).filter(formats::contains).isPresent(), FileMatcher.DATABASE_CAP);
    }

    @Override
    public List<OsPackage> analyze(ImageFiles files, OsRelease os, List<String> warnings) {
        List<OsPackage> packages = new ArrayList<>();
        for (String path : RpmDatabase.PATHS.stream().sorted().toList()) {
            if (!matcher().wants(path)) {
                continue;
            }
            Optional<byte[]> content = files.resolveFile(path);
            if (content.isEmpty()) {
                continue;
            }
            try {
                RpmDatabase.Result result = RpmDatabase.read(path, content.get());
                if (result.skippedInvalid() > 0) {
                    warnings.add(result.skippedInvalid() + " unreadable entries in " + path + " (first: " + result.firstProblem() + ")");
                }
                if (result.skippedGpgPubkeys() > 0) {
                    warnings.add(result.skippedGpgPubkeys() + " gpg-pubkey entries in " + path + " are signing keys, not software");
                }
                for (RpmPackage p : result.packages()) {
                    packages.add(new OsPackage(p.name(), p.fullVersion(), p.name(), List.of(), List.of(),
                            Purls.rpm(os, p.name(), p.fullVersion(), p.epoch(), p.modularityLabel(), p.sourceName(),
                                    p.sourceVersion()), false));
                }
                if (!packages.isEmpty()) {
                    return packages;
                }
            } catch (RpmDatabaseException e) {
                warnings.add("the rpm database " + path + " could not be read: " + e.getMessage());
            }
        }
        return packages;
    }
}
