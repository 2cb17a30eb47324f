package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A project's own package.json: the graph root and the dependency lists the lockfile parsers start from.
 *
 * @param name    {@code name}, or null when missing
 * @param version {@code version}, or null when missing
 */
record PackageManifest(String name, String version, Map<String, String> dependencies,
                       Map<String, String> devDependencies, Map<String, String> optionalDependencies,
                       Map<String, String> peerDependencies, JsonNode raw) {

    static PackageManifest parse(byte[] content) throws LockfileException {
        JsonNode json = Json.object(content, "package.json");
        return new PackageManifest(Json.text(json, "name"), Json.text(json, "version"),
                Json.stringMap(json.get("dependencies")), Json.stringMap(json.get("devDependencies")),
                Json.stringMap(json.get("optionalDependencies")), Json.stringMap(json.get("peerDependencies")), json);
    }

    /** The lockfile parsers name a nameless project after its manifest. */
    String nameOrDefault() {
        return name == null ? "package.json" : name;
    }

    /**
     * What the lockfile parsers treat as the project's own dependencies (snyk-nodejs-lockfile-parser's
     * {@code getTopLevelDeps} with dev dependencies off): later lists override earlier ones, and any name that is
     * also a dev dependency is dropped, as {@code npm install --prod} would.
     */
    Map<String, TopLevelDep> productionDeps(boolean optional, boolean peer) {
        Map<String, TopLevelDep> deps = new LinkedHashMap<>();
        dependencies.forEach((n, v) -> deps.put(n, new TopLevelDep(v, false)));
        if (optional) {
            optionalDependencies.forEach((n, v) -> deps.put(n, new TopLevelDep(v, true)));
        }
        if (peer) {
            peerDependencies.forEach((n, v) -> deps.put(n, new TopLevelDep(v, false)));
        }
        deps.keySet().removeIf(n -> devDependencies.containsKey(n) || !validName(n));
        return deps;
    }

    /** A dependency as declared: its range and whether it came from {@code optionalDependencies}. */
    record TopLevelDep(String range, boolean optional) {
    }

    /** Empty names and scopes without a name ({@code @types/}) are dropped before they reach a graph. */
    static boolean validName(String name) {
        if (name == null || name.isBlank()) {
            return false;
        }
        int slash = name.indexOf('/');
        return !name.startsWith("@") || slash < 0 || !name.substring(slash + 1).isBlank();
    }
}
