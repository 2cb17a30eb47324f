package io.cragent.scan.apps.python;

import io.cragent.scan.output.DepGraph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves requirements against installed distributions the way the reference walks them: depth first from each
 * requirement, following a distribution's Requires-Dist unless it only applies to extras nobody asked for; a name
 * installed several times picks the highest version satisfying the requirement's first specifier, else the highest.
 */
final class PipResolver {
    private final Map<String, List<PipDist>> byName = new LinkedHashMap<>();

    /** {@code dists} in a stable order (by path); equal versions keep it. */
    PipResolver(Collection<PipDist> dists) {
        for (PipDist dist : dists) {
            byName.computeIfAbsent(PipDist.normalize(dist.name()), k -> new ArrayList<>()).add(dist);
        }
        byName.values().forEach(list -> list.sort((a, b) -> PipVersions.descending(a.version(), b.version())));
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    /** The installed distribution a requirement resolves to, or null. */
    PipDist find(PipRequirement requirement) {
        List<PipDist> matches = byName.get(PipDist.normalize(requirement.name()));
        if (matches == null || matches.isEmpty()) {
            return null;
        }
        String version = requirement.version();
        if (matches.size() == 1 || version == null || version.isEmpty()) {
            return matches.get(0);
        }
        for (PipDist dist : matches) {
            if (PipVersions.satisfies(dist.version(), requirement.specifier(), version)) {
                return dist;
            }
        }
        return matches.get(0);
    }

    /** The graph of a requirements file; top-level requirements that resolve to nothing go to {@code unresolved}. */
    DepGraph graph(String rootName, List<PipRequirement> requirements, List<String> unresolved) {
        DepGraph graph = new DepGraph("pip", null, new DepGraph.Pkg(rootName, "", null));
        Set<String> visited = new HashSet<>();
        for (PipRequirement requirement : requirements) {
            PipDist dist = walk(graph, requirement, visited);
            if (dist == null) {
                unresolved.add(requirement.name());
            } else {
                graph.rootDep(dist.id());
            }
        }
        return graph;
    }

    private PipDist walk(DepGraph graph, PipRequirement requirement, Set<String> visited) {
        PipDist dist = find(requirement);
        if (dist == null) {
            return null;
        }
        // A distribution asked for with other extras is walked again: those extras may pull in more.
        if (visited.add(dist.id() + requirement.extrasKey())) {
            graph.add(new DepGraph.Pkg(dist.name(), dist.version(), null));
            for (PipRequirement dep : dist.requires()) {
                if (wanted(requirement, dep)) {
                    PipDist child = walk(graph, dep, visited);
                    if (child != null) {
                        graph.edge(dist.id(), child.id());
                    }
                }
            }
        }
        return dist;
    }

    private static boolean wanted(PipRequirement parent, PipRequirement dep) {
        return !dep.optional() || parent.extras().stream().anyMatch(dep.extraMarkers()::contains);
    }

    /**
     * Every distribution of one packages directory, linked by the Requires-Dist that are not optional (our extra
     * result, scanning.md §6.1); the graph links anything nothing depends on to the root.
     */
    DepGraph directoryGraph(String rootName) {
        DepGraph graph = new DepGraph("pip", null, new DepGraph.Pkg(rootName, "", null));
        byName.values().forEach(list -> list.forEach(d -> graph.add(new DepGraph.Pkg(d.name(), d.version(), null))));
        byName.values().forEach(list -> list.forEach(dist -> {
            for (PipRequirement dep : dist.requires()) {
                PipDist child = dep.optional() ? null : find(dep);
                if (child != null) {
                    graph.edge(dist.id(), child.id());
                }
            }
        }));
        return graph;
    }
}
