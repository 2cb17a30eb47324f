package io.cragent.scan.apps.python;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.output.DepGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pyproject.toml + poetry.lock pair as {@code snyk-poetry-lockfile-parser} reads it without dev dependencies: the
 * main dependencies ({@code [project].dependencies} names and {@code [tool.poetry.dependencies]} keys, without
 * {@code python}) and, through each locked package's dependency keys, everything they reach. Names match lock
 * entries case-insensitively with {@code -} and {@code _} equal; packages virtualenvs bring along are left out.
 */
final class PoetryProject {
    private static final Set<String> IGNORED = Set.of("setuptools", "distribute", "pip", "wheel");
    private static final Pattern PEP621_NAME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_-]*");

    private record Locked(String name, String version, List<String> dependencies) {
        String id() {
            return name + "@" + version;
        }
    }

    private PoetryProject() {
    }

    /** The graph; {@link IllegalArgumentException} when the manifest is not a poetry project or the lock has no packages. */
    static DepGraph graph(JsonNode manifest, JsonNode lock) {
        JsonNode project = manifest.get("project");
        JsonNode poetry = manifest.path("tool").get("poetry");
        boolean pep621 = project != null;
        if (!pep621 && poetry == null) {
            throw new IllegalArgumentException("pyproject.toml is not a poetry project");
        }
        JsonNode info = pep621 ? project : poetry;
        List<String> direct = new ArrayList<>();
        if (pep621) {
            for (JsonNode dep : project.path("dependencies")) {
                Matcher m = PEP621_NAME.matcher(dep.asText());
                if (dep.isTextual() && m.find()) {
                    direct.add(m.group());
                }
            }
        }
        if (poetry != null) {
            poetry.path("dependencies").fieldNames().forEachRemaining(direct::add);
        }
        direct.removeIf("python"::equals);

        JsonNode packages = lock.get("package");
        if (packages == null || !packages.isArray()) {
            throw new IllegalArgumentException("poetry.lock has no package entries");
        }
        List<Locked> locked = new ArrayList<>();
        for (JsonNode pkg : packages) {
            List<String> deps = new ArrayList<>();
            pkg.path("dependencies").fieldNames().forEachRemaining(deps::add);
            locked.add(new Locked(pkg.path("name").asText(), pkg.path("version").asText(), deps));
        }

        String name = info.path("name").isValueNode() ? info.path("name").asText() : "_root";
        String version = info.path("version").isValueNode() ? info.path("version").asText() : "0.0.0";
        DepGraph graph = new DepGraph("poetry", null, new DepGraph.Pkg(name, version, null));
        Map<String, Locked> added = new HashMap<>();
        for (String dep : direct) {
            Locked pkg = add(graph, dep, locked, added);
            if (pkg != null) {
                graph.rootDep(pkg.id());
            }
        }
        return graph;
    }

    private static Locked add(DepGraph graph, String name, List<Locked> locked, Map<String, Locked> added) {
        if (IGNORED.contains(name)) {
            return null;
        }
        Locked pkg = find(name, locked);
        if (pkg == null) {
            return null;
        }
        if (added.putIfAbsent(pkg.id(), pkg) != null) {
            return pkg;
        }
        graph.add(new DepGraph.Pkg(pkg.name(), pkg.version(), null));
        for (String dep : pkg.dependencies()) {
            Locked child = add(graph, dep, locked, added);
            if (child != null) {
                graph.edge(pkg.id(), child.id());
            }
        }
        return pkg;
    }

    /** The first lock entry whose name equals, ignoring case and treating {@code -} and {@code _} alike. */
    private static Locked find(String name, List<Locked> locked) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Locked pkg : locked) {
            String have = pkg.name().toLowerCase(Locale.ROOT);
            if (have.replace('_', '-').equals(wanted.replace('_', '-'))
                    || have.replace('-', '_').equals(wanted.replace('-', '_'))) {
                return pkg;
            }
        }
        return null;
    }

}
