package io.cragent.scan.layers;

/**
 * Decides, while a layer streams, which files are worth keeping: everything else is skipped unread. Each analyzer
 * contributes one (Trivy's shape: one analyzer per file type, each saying which paths it needs).
 */
public interface FileMatcher {

    /** Whether the file at this absolute, normalised path is needed. */
    boolean wants(String path);

    /** The most bytes of this file worth holding; a larger file is skipped with a warning. */
    default long sizeCap(String path) {
        return 16L * 1024 * 1024;
    }

    /** Files the predicate accepts, each kept up to {@code cap} bytes. */
    static FileMatcher of(java.util.function.Predicate<String> accepts, long cap) {
        return new FileMatcher() {
            @Override
            public boolean wants(String path) {
                return accepts.test(path);
            }

            @Override
            public long sizeCap(String path) {
                return cap;
            }
        };
    }

    /** Package databases may be large: 64 MiB each. */
    long DATABASE_CAP = 64L * 1024 * 1024;

    /**
     * All files one layer may keep in memory together: many small wanted files of zeros (a status.d directory of
     * thousands) compress to almost nothing but would otherwise fill the heap.
     */
    long LAYER_KEPT_CAP = 2 * DATABASE_CAP;

    static FileMatcher anyOf(java.util.List<FileMatcher> matchers) {
        return new FileMatcher() {
            @Override
            public boolean wants(String path) {
                for (FileMatcher m : matchers) {
                    if (m.wants(path)) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public long sizeCap(String path) {
                long cap = 0;
                for (FileMatcher m : matchers) {
                    if (m.wants(path)) {
                        cap = Math.max(cap, m.sizeCap(path));
                    }
                }
                return cap;
            }
        };
    }
}
