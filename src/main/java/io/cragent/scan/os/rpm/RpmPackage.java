package io.cragent.scan.os.rpm;

import java.util.Optional;

/**
 * An installed RPM package, as read from one header.
 *
 * @param epoch null when the header has no EPOCH tag
 * @param size  the SIZE tag, read as unsigned 32-bit
 * @param sourceRpm e.g. {@code audit-3.0.6-1.cm2.src.rpm}; null when absent
 * @param modularityLabel null when absent
 */
public record RpmPackage(String name, String version, String release, Integer epoch, String arch, long size,
                         String sourceRpm, String modularityLabel) {

    /**
     * The package in {@code header}, or empty when the header lacks NAME, VERSION, RELEASE or SIZE (the reference's
     * validity rule). A string tag whose bytes are malformed makes the whole header unreadable.
     */
    public static Optional<RpmPackage> from(RpmHeader header) throws RpmDatabaseException {
        String name = header.string(RpmHeader.TAG_NAME);
        String version = header.string(RpmHeader.TAG_VERSION);
        String release = header.string(RpmHeader.TAG_RELEASE);
        Integer size = header.int32(RpmHeader.TAG_SIZE);
        if (name == null || version == null || release == null || size == null) {
            return Optional.empty();
        }
        return Optional.of(new RpmPackage(name, version, release, header.int32(RpmHeader.TAG_EPOCH),
                header.string(RpmHeader.TAG_ARCH), Integer.toUnsignedLong(size),
                header.string(RpmHeader.TAG_SOURCERPM), header.string(RpmHeader.TAG_MODULARITYLABEL)));
    }

    /** {@code version-release}, or {@code epoch:version-release} when the epoch is above 0. */
    public String fullVersion() {
        String vr = version + "-" + release;
        return epoch != null && epoch > 0 ? epoch + ":" + vr : vr;
    }

    /** The source package name: {@code audit} for {@code audit-3.0.6-1.cm2.src.rpm}; null when absent or malformed. */
    public String sourceName() {
        int[] dashes = sourceDashes();
        return dashes == null ? null : sourceStem().substring(0, dashes[0]);
    }

    /** The source {@code version-release}: {@code 3.0.6-1.cm2}; null when absent or malformed. */
    public String sourceVersion() {
        int[] dashes = sourceDashes();
        return dashes == null ? null : sourceStem().substring(dashes[0] + 1);
    }

    private String sourceStem() {
        if (sourceRpm.endsWith(".src.rpm")) {
            return sourceRpm.substring(0, sourceRpm.length() - ".src.rpm".length());
        }
        if (sourceRpm.endsWith(".nosrc.rpm")) {
            return sourceRpm.substring(0, sourceRpm.length() - ".nosrc.rpm".length());
        }
        return sourceRpm;
    }

    /** Positions of the second-to-last and last '-' of the stem, when name, version and release are all non-empty. */
    private int[] sourceDashes() {
        if (sourceRpm == null) {
            return null;
        }
        String stem = sourceStem();
        int last = stem.lastIndexOf('-');
        int before = last > 0 ? stem.lastIndexOf('-', last - 1) : -1;
        if (before <= 0 || last == before + 1 || last == stem.length() - 1) {
            return null;
        }
        return new int[] {before, last};
    }
}
