package io.cragent.scan.apps.node;

import io.cragent.scan.output.DepGraph;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The lockfile parsers' depth-first walk from the project's dependencies: every dependency becomes a package and
 * an edge, and each node's own dependencies are expanded once. Iterative, so a long chain cannot overflow the stack.
 */
final class DependencyWalk {

    /** How one lockfile format answers "what is this dependency, and what does it depend on". */
    interface Resolver<N> {
        /** Nodes with the same key are expanded once (the reference's visited-set key). */
        String key(N node);

        DepGraph.Pkg pkg(N node);

        List<N> children(N node) throws LockfileException;
    }

    private DependencyWalk() {
    }

    /** Adds everything reachable from {@code topLevel} to {@code graph}, whose root has the id {@code rootId}. */
    static <N> void walk(DepGraph graph, String rootId, List<N> topLevel, Resolver<N> resolver)
            throws LockfileException {
        Set<String> expanded = new HashSet<>();
        Deque<Frame<N>> stack = new ArrayDeque<>();
        for (N dep : topLevel) {
            DepGraph.Pkg pkg = resolver.pkg(dep);
            if (pkg.id().equals(rootId)) {
                continue;
            }
            graph.add(pkg).rootDep(pkg.id());
            if (expanded.add(resolver.key(dep))) {
                stack.push(new Frame<>(pkg.id(), resolver.children(dep).iterator()));
            }
            while (!stack.isEmpty()) {
                Frame<N> top = stack.peek();
                if (!top.children.hasNext()) {
                    stack.pop();
                    continue;
                }
                N child = top.children.next();
                DepGraph.Pkg childPkg = resolver.pkg(child);
                if (childPkg.id().equals(rootId)) {
                    continue;
                }
                graph.add(childPkg).edge(top.pkgId, childPkg.id());
                if (expanded.add(resolver.key(child))) {
                    stack.push(new Frame<>(childPkg.id(), resolver.children(child).iterator()));
                }
            }
        }
    }

    private record Frame<N>(String pkgId, Iterator<N> children) {
    }
}
