package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packages of one pnpm-lock.yaml, keyed {@code name@version}, with the spellings dependencies use to refer to
 * them (dependency paths such as {@code /ms/2.1.2} or {@code ms@2.1.2(peer@1)}).
 */
final class PnpmPackages {
    /** What the reference prints for a missing version. */
    static final String UNDEFINED = "undefined";

    private enum Flavor { V5, V6, V9 }

    /** A package and what it depends on (dependencies and optional ones), as {@code name → version}. */
    record Entry(String name, String version, Map<String, String> dependencies) {
    }

    private final Flavor flavor;
    private final ObjectNode lock;
    /** Raw package entries by dependency path (for v9, {@code packages} merged with {@code snapshots}). */
    private final Map<String, JsonNode> rawPackages = new LinkedHashMap<>();
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, String> resolved = new HashMap<>();
    private final Map<String, String[]> projects = new HashMap<>();
    private boolean workspace;
    private boolean rootImporter;

    private PnpmPackages(Flavor flavor, ObjectNode lock) throws LockfileException {
        this.flavor = flavor;
        this.lock = lock;
        if (flavor != Flavor.V5) {
            hoistDotImporter();
        }
        this.workspace = flavor == Flavor.V9;
        if (flavor == Flavor.V9) {
            JsonNode base = lock.path("packages");
            for (var snapshot : fields(lock.get("snapshots"))) {
                String path = withoutPeers(snapshot.getKey());
                ObjectNode merged = base.get(path) instanceof ObjectNode o ? o.deepCopy()
                        : Json.MAPPER.createObjectNode();
                if (snapshot.getValue() instanceof ObjectNode data) {
                    merged.setAll(data);
                }
                rawPackages.put(path, merged);
            }
        } else {
            fields(lock.get("packages")).forEach(p -> rawPackages.put(p.getKey(), p.getValue()));
        }
        for (var p : rawPackages.entrySet()) {
            addEntry(p.getKey(), p.getValue());
        }
    }

    /** Parses a lockfile's dependency document; an empty one (pnpm 11, settings only) has no packages. */
    static PnpmPackages load(String mainDocument) throws LockfileException {
        ObjectNode lock = mainDocument.isEmpty() ? PnpmLockGraph.emptyLockfile()
                : FailsafeYaml.mapping(mainDocument, "pnpm-lock.yaml");
        String version = Json.text(lock, "lockfileVersion");
        Flavor flavor;
        if (version == null) {
            throw new LockfileException("pnpm-lock.yaml has no lockfileVersion");
        } else if (version.startsWith("5")) {
            flavor = Flavor.V5;
        } else if (version.startsWith("6")) {
            flavor = Flavor.V6;
        } else if (version.startsWith("9")) {
            flavor = Flavor.V9;
        } else {
            throw new LockfileException("pnpm-lock.yaml version " + version + " is not supported");
        }
        return new PnpmPackages(flavor, lock);
    }

    /** A root importer ({@code importers["."]}) makes the lockfile a workspace one rooted at this project. */
    void registerRootProject(String name, String version) {
        if (lock.path("importers").has(".")) {
            rootImporter = true;
            workspace = true;
            projects.put(".", new String[] {name, version});
        }
    }

    /** The project's own dependencies and optional dependencies, by name, with their locked versions. */
    Map<String, String> topLevelVersions() {
        JsonNode root = rootImporter ? lock.path("importers").path(".") : lock;
        Map<String, String> versions = new LinkedHashMap<>();
        versions.putAll(normalized(root.get("dependencies"), rootImporter ? "." : null));
        versions.putAll(normalized(root.get("optionalDependencies"), rootImporter ? "." : null));
        return versions;
    }

    /** The entry key a dependency {@code name: version} refers to (aliases and dependency paths resolved). */
    String resolveKey(String name, String version) {
        String key = name + "@" + version;
        key = resolved.getOrDefault(version, key);
        return resolved.getOrDefault(key, key);
    }

    Entry entry(String key) {
        return entries.get(key);
    }

    /** Drops transitive peer suffixes: {@code 1.0.0_react@17} (v5) or {@code 1.0.0(react@17)} (v6+). */
    String withoutPeers(String version) {
        if (flavor != Flavor.V5) {
            int paren = version.indexOf('(');
            return paren < 0 ? version : version.substring(0, paren);
        }
        int slash = version.lastIndexOf('/');
        String last = version.substring(slash + 1);
        int underscore = last.indexOf('_');
        return version.substring(0, slash + 1) + (underscore < 0 ? last : last.substring(0, underscore));
    }

    private void addEntry(String depPath, JsonNode data) throws LockfileException {
        String path = withoutPeers(depPath);
        String name = Json.text(data, "name");
        String version = Json.text(data, "version");
        if (name == null || version == null) {
            String[] parsed = parseDepPath(path);
            name = name != null ? name : parsed[0];
            version = version != null ? version : parsed[1] != null ? parsed[1] : path;
        }
        Map<String, String> deps = new LinkedHashMap<>(Json.stringMap(data == null ? null : data.get("dependencies")));
        deps.putAll(Json.stringMap(data == null ? null : data.get("optionalDependencies")));
        String key = name + "@" + version;
        entries.put(key, new Entry(name, version, deps));
        resolved.put(path, key);
    }

    /** {@code [name, version]} of a dependency path; either may be null ("undefined" for a nameless one). */
    private String[] parseDepPath(String path) throws LockfileException {
        return flavor == Flavor.V5 ? parseV5Path(path) : parseV6Path(path);
    }

    /** pnpm's dependency-path format: {@code [host]/name/version} or {@code /@scope/name/version}. */
    private static String[] parseV5Path(String path) throws LockfileException {
        boolean absolute = !path.startsWith("/");
        Deque<String> parts = new ArrayDeque<>(java.util.Arrays.asList(path.split("/", -1)));
        if (!absolute) {
            parts.poll();
        } else {
            parts.poll(); // the registry host
        }
        String first = parts.isEmpty() ? "" : parts.poll();
        String name = first.startsWith("@") ? first + "/" + parts.poll() : first;
        String version = parts.poll();
        if (version != null) {
            int underscore = version.indexOf('_');
            version = underscore < 0 ? version : version.substring(0, underscore);
            if (Semver.valid(version)) {
                return new String[] {name, version};
            }
        }
        if (!absolute) {
            throw new LockfileException("pnpm-lock.yaml has an invalid dependency path " + path);
        }
        return new String[] {UNDEFINED, null};
    }

    private static String[] parseV6Path(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.startsWith("@")) {
            int at = p.lastIndexOf('@');
            return at <= 0 ? new String[] {UNDEFINED, null} : new String[] {p.substring(0, at), p.substring(at + 1)};
        }
        String[] parts = p.split("@", -1);
        return new String[] {parts[0], parts.length > 1 ? parts[1] : null};
    }

    /** Some v6 lockfiles keep the root importer as {@code dependencies["."]}; move it to {@code importers}. */
    private void hoistDotImporter() {
        if (lock.has("importers")) {
            return;
        }
        JsonNode dot = lock.path("dependencies").get(".");
        if (dot != null && dot.isObject() && dot.has("dependencies")) {
            lock.putObject("importers").set(".", dot);
            ((ObjectNode) lock.get("dependencies")).remove(".");
        }
    }

    private Map<String, String> normalized(JsonNode deps, String importer) {
        Map<String, String> out = new LinkedHashMap<>();
        for (var dep : fields(deps)) {
            String version = flavor == Flavor.V5 ? textOf(dep.getValue()) : Json.text(dep.getValue(), "version");
            if (version != null) {
                out.put(dep.getKey(), normalizeVersion(dep.getKey(), version, importer));
            }
        }
        return out;
    }

    /** A locked version as written for a dependency, turned into the version of the package it installs. */
    private String normalizeVersion(String name, String version, String importer) {
        String v = workspace ? linkedProjectVersion(name, version, importer) : version;
        if (!Semver.valid(v)) {
            v = withoutPeers(v);
            if (!Semver.valid(v)) {
                JsonNode pkg = rawPackages.containsKey(v) ? rawPackages.get(v) : rawPackages.get(name + "@" + v);
                if (pkg != null) {
                    String locked = Json.text(pkg, "version");
                    return locked != null ? locked : v;
                }
            }
        }
        return v;
    }

    /**
     * {@code link:../pkg-b} points at another workspace project: known projects give their version, others
     * {@code "undefined"}; the linked project becomes an entry with its importer's dependencies.
     */
    private String linkedProjectVersion(String name, String version, String importer) {
        if (!version.startsWith("link:")) {
            return version;
        }
        String path = joinPosix(importer == null ? "." : importer, version.substring(5));
        String[] project = projects.get(path);
        String linked = project == null || project[1] == null || project[1].isEmpty() ? UNDEFINED : project[1];
        String key = name + "@" + linked;
        if (entries.containsKey(key)) {
            return linked;
        }
        entries.put(key, new Entry(name, linked, Map.of()));
        JsonNode sub = lock.path("importers").path(path);
        Map<String, String> deps = new LinkedHashMap<>(normalized(sub.get("dependencies"), path));
        deps.putAll(normalized(sub.get("optionalDependencies"), path));
        entries.put(key, new Entry(name, linked, deps));
        return linked;
    }

    /** Node's {@code path.posix.join}: segments joined, {@code .} and {@code ..} folded. */
    static String joinPosix(String base, String relative) {
        Deque<String> parts = new ArrayDeque<>();
        for (String segment : (base + "/" + relative).split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(segment);
            }
        }
        return parts.isEmpty() ? "." : String.join("/", parts);
    }

    private static String textOf(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        if (node == null || !node.isObject()) {
            return java.util.List.of();
        }
        return node::fields;
    }
}
