package io.cragent.scan.apps.node;

import io.cragent.scan.output.DepGraph;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The lockfile parsers' depth-first walk from the project's dependencies: every dependency becomes a package and
 * an edge, and each node's own dependencies are expanded once. Iterative, so a long chain cannot overflow the stack.
 */
final class DependencyWalk {

    /**
     * A lockfile's answer to "what does this node depend on". Nodes with the same {@code key} are expanded once
     * (the reference's visited-set key); {@code pkg} says what a node is.
     */
    @FunctionalInterface
    interface Children<N> {
        List<N> of(N node) throws LockfileException;
    }

    private DependencyWalk() {
    }

    /** Adds everything reachable from {@code topLevel} to {@code graph}, whose root has the id {@code rootId}. */
    static <N> void walk(DepGraph graph, String rootId, List<N> topLevel, Function<N, String> key,
                         Function<N, DepGraph.Pkg> pkgOf, Children<N> children) throws LockfileException {
        Set<String> expanded = new HashSet<>();
        Deque<Frame<N>> stack = new ArrayDeque<>();
        for (N dep : topLevel) {
            DepGraph.Pkg pkg = pkgOf.apply(dep);
            if (pkg.id().equals(rootId)) {
                continue;
            }
            graph.add(pkg).rootDep(pkg.id());
            if (expanded.add(key.apply(dep))) {
                stack.push(new Frame<>(pkg.id(), children.of(dep).iterator()));
            }
            while (!stack.isEmpty()) {
                Frame<N> top = stack.peek();
                if (!top.children.hasNext()) {
                    stack.pop();
                    continue;
                }
                N child = top.children.next();
                DepGraph.Pkg childPkg = pkgOf.apply(child);
                if (childPkg.id().equals(rootId)) {
                    continue;
                }
                graph.add(childPkg).edge(top.pkgId, childPkg.id());
                if (expanded.add(key.apply(child))) {
                    stack.push(new Frame<>(childPkg.id(), children.of(child).iterator()));
                }
            }
        }
    }

    private record Frame<N>(String pkgId, Iterator<N> children) {
    }
}
