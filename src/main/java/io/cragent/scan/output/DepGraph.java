package io.cragent.scan.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code @snyk/dep-graph} 1.3.0 graph: one node per package ({@code nodeId = pkgId}), edges as the database
 * gives them with any edge that would close a cycle dropped, and every package reachable from the root.
 */
public final class DepGraph {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "root-node";

    /** A package; an empty version gives the id {@code name@} and no version key. */
    public record Pkg(String name, String version, String purl) {
        public String id() {
            return name + "@" + (version == null ? "" : version);
        }
    }

    private final String pkgManager;
    private final String repositoryAlias;
    private final Pkg root;
    private final Map<String, Pkg> pkgs = new LinkedHashMap<>();
    private final Map<String, Set<String>> edges = new HashMap<>();
    private final Set<String> rootDeps = new LinkedHashSet<>();

    public DepGraph(String pkgManager, String repositoryAlias, Pkg root) {
        this.pkgManager = pkgManager;
        this.repositoryAlias = repositoryAlias;
        this.root = root;
    }

    /** Adds a package once; later duplicates of the same id are ignored. */
    public DepGraph add(Pkg pkg) {
        pkgs.putIfAbsent(pkg.id(), pkg);
        return this;
    }

    public DepGraph edge(String fromId, String toId) {
        if (!fromId.equals(toId)) {
            edges.computeIfAbsent(fromId, k -> new LinkedHashSet<>()).add(toId);
        }
        return this;
    }

    /** A package the root depends on directly. */
    public DepGraph rootDep(String id) {
        rootDeps.add(id);
        return this;
    }

    public int size() {
        return pkgs.size();
    }

    public ObjectNode toJson() {
        Map<String, Set<String>> acyclic = withoutCycles();
        Set<String> rootLinks = new LinkedHashSet<>(rootDeps);
        Set<String> targets = new HashSet<>();
        acyclic.values().forEach(targets::addAll);
        pkgs.keySet().stream().filter(id -> !targets.contains(id)).forEach(rootLinks::add);
        Set<String> reached = reach(rootLinks, acyclic);
        for (String id : pkgs.keySet()) {
            if (!reached.contains(id)) {
                rootLinks.add(id);
                reached.addAll(reach(Set.of(id), acyclic));
            }
        }

        ObjectNode graph = JSON.createObjectNode();
        graph.put("schemaVersion", "1.3.0");
        ObjectNode manager = graph.putObject("pkgManager");
        manager.put("name", pkgManager);
        if (repositoryAlias != null) {
            manager.putArray("repositories").addObject().put("alias", repositoryAlias);
        }
        ArrayNode pkgArray = graph.putArray("pkgs");
        writePkg(pkgArray, root);
        pkgs.values().forEach(p -> writePkg(pkgArray, p));
        ObjectNode g = graph.putObject("graph");
        g.put("rootNodeId", ROOT);
        ArrayNode nodes = g.putArray("nodes");
        writeNode(nodes, ROOT, root.id(), rootLinks);
        pkgs.keySet().forEach(id -> writeNode(nodes, id, id, acyclic.getOrDefault(id, Set.of())));
        return graph;
    }

    /** Depth-first in package order; an edge to a package still on the stack would close a cycle. */
    private Map<String, Set<String>> withoutCycles() {
        Map<String, Set<String>> kept = new HashMap<>();
        Set<String> done = new HashSet<>();
        Set<String> onStack = new HashSet<>();
        for (String start : pkgs.keySet()) {
            if (done.contains(start)) {
                continue;
            }
            Deque<Map.Entry<String, java.util.Iterator<String>>> stack = new ArrayDeque<>();
            stack.push(Map.entry(start, known(start).iterator()));
            onStack.add(start);
            while (!stack.isEmpty()) {
                var top = stack.peek();
                if (top.getValue().hasNext()) {
                    String next = top.getValue().next();
                    if (onStack.contains(next)) {
                        continue;
                    }
                    kept.computeIfAbsent(top.getKey(), k -> new LinkedHashSet<>()).add(next);
                    if (!done.contains(next)) {
                        onStack.add(next);
                        stack.push(Map.entry(next, known(next).iterator()));
                    }
                } else {
                    stack.pop();
                    onStack.remove(top.getKey());
                    done.add(top.getKey());
                }
            }
        }
        return kept;
    }

    private List<String> known(String id) {
        return edges.getOrDefault(id, Set.of()).stream().filter(pkgs::containsKey).toList();
    }

    private static Set<String> reach(Set<String> from, Map<String, Set<String>> edges) {
        Set<String> seen = new HashSet<>(from);
        Deque<String> queue = new ArrayDeque<>(from);
        while (!queue.isEmpty()) {
            for (String next : edges.getOrDefault(queue.poll(), Set.of())) {
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return seen;
    }

    private static void writePkg(ArrayNode array, Pkg pkg) {
        ObjectNode node = array.addObject();
        node.put("id", pkg.id());
        ObjectNode info = node.putObject("info");
        info.put("name", pkg.name());
        if (pkg.version() != null && !pkg.version().isEmpty()) {
            info.put("version", pkg.version());
        }
        if (pkg.purl() != null) {
            info.put("purl", pkg.purl());
        }
    }

    private static void writeNode(ArrayNode nodes, String nodeId, String pkgId, Set<String> deps) {
        ObjectNode node = nodes.addObject();
        node.put("nodeId", nodeId);
        node.put("pkgId", pkgId);
        ArrayNode array = node.putArray("deps");
        deps.forEach(d -> array.addObject().put("nodeId", d));
    }
}
