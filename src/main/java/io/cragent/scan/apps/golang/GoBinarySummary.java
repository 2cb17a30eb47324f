package io.cragent.scan.apps.golang;

import io.cragent.scan.output.DepGraph;

import java.util.List;

/**
 * What one Go binary yields, small enough to keep per path: the graph's root name (the main module, or
 * {@code go-distribution@<path>}) and its packages (or modules), or why none could be read.
 */
public record GoBinarySummary(String root, List<DepGraph.Pkg> packages, String problem) {
    static GoBinarySummary problem(String why) {
        return new GoBinarySummary(null, List.of(), why);
    }
}
