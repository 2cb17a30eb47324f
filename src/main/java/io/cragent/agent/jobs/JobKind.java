package io.cragent.agent.jobs;

/**
 * The two asynchronous endpoints and where each reports (broker-protocol.md §4.6, the public rules): {@code /scan}
 * posts each image to the v2 result path and ends with the v2 done path; {@code /discover} posts each image to
 * the v1 recurring-tests path, which has no done step.
 */
public enum JobKind {
    SCAN("/api/v2/import/result", "/api/v2/import/done"),
    DISCOVER("/api/v1/recurring-tests/dependencies", null);

    private final String resultPath;
    private final String donePath;

    JobKind(String resultPath, String donePath) {
        this.resultPath = resultPath;
        this.donePath = donePath;
    }

    public String resultPath() {
        return resultPath;
    }

    /** Null when this kind has no done callback. */
    public String donePath() {
        return donePath;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
