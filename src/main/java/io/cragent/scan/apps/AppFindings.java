package io.cragent.scan.apps;

import java.util.List;

/**
 * What an application analyzer found: its results, and facts it adds to the OS result ({@code keyBinariesHashes},
 * {@code baseRuntimes}).
 */
public record AppFindings(List<AppResult> results, List<Fact> osFacts) {
    public static final AppFindings NONE = new AppFindings(List.of(), List.of());

    public static AppFindings of(List<AppResult> results) {
        return new AppFindings(results, List.of());
    }
}
