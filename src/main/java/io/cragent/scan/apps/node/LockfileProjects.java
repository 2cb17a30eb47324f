package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.output.DepGraph;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Projects with a package.json and, in the same directory, a lockfile (package-lock.json before yarn.lock before
 * pnpm-lock.yaml, as the reference picks). A project whose files cannot be used is skipped with a warning.
 */
final class LockfileProjects {
    private LockfileProjects() {
    }

    /** The lockfile a directory's project is read from, if it has a package.json and one. */
    static Optional<String> lockfileOf(Set<String> namesInDirectory) {
        if (!namesInDirectory.contains(NodePaths.MANIFEST)) {
            return Optional.empty();
        }
        return NodePaths.LOCKFILES.stream().filter(namesInDirectory::contains).findFirst();
    }

    static List<AppResult> analyze(ImageFiles files, Map<String, Set<String>> projectFiles, List<String> warnings) {
        List<AppResult> results = new ArrayList<>();
        projectFiles.forEach((dir, names) -> {
            Optional<String> lockfile = lockfileOf(names);
            // The reference never pairs files in a directory whose path mentions node_modules.
            if (lockfile.isEmpty() || dir.contains("node_modules")) {
                return;
            }
            String manifestPath = NodePaths.join(dir, NodePaths.MANIFEST);
            String lockPath = NodePaths.join(dir, lockfile.get());
            try {
                byte[] manifest = files.file(manifestPath).orElseThrow();
                byte[] lock = files.file(lockPath).orElseThrow();
                results.add(NodeResults.lockfileProject(typeOf(lockfile.get()), manifestPath, lockfile.get(),
                        graph(lockfile.get(), PackageManifest.parse(manifest), lock)));
            } catch (LockfileException e) {
                warnings.add("npm: skipped " + manifestPath + ": " + e.getMessage());
            } catch (RuntimeException e) {
                warnings.add("npm: skipped " + manifestPath + ": " + lockfile.get() + " could not be analysed ("
                        + e + ")");
            }
        });
        return results;
    }

    /** JavaScript falsiness of a JSON value (absent, null, false, 0, ""). */
    private static boolean falsy(JsonNode value) {
        return value == null || value.isNull() || value.isBoolean() && !value.asBoolean()
                || value.isNumber() && value.asDouble() == 0 || value.isTextual() && value.asText().isEmpty();
    }

    private static String typeOf(String lockfile) {
        return switch (lockfile) {
            case "package-lock.json" -> "npm";
            case "yarn.lock" -> "yarn";
            default -> "pnpm";
        };
    }

    /** The dependency graph of one lockfile kind (package-lock.json, yarn.lock, pnpm-lock.yaml). */
    static DepGraph graph(String lockfile, PackageManifest manifest, byte[] lock) throws LockfileException {
        switch (lockfile) {
            case "package-lock.json" -> {
                JsonNode json = Json.object(lock, "package-lock.json");
                JsonNode version = json.get("lockfileVersion");
                // JavaScript's `lockfileVersion || null`: absent, 0, false and "" all mean version 1.
                if (falsy(version) || version.isNumber() && version.asDouble() == 1) {
                    return NpmLockV1Graph.build(manifest, json);
                }
                if (version.isNumber() && (version.asDouble() == 2 || version.asDouble() == 3)) {
                    return NpmLockV2Graph.build(manifest, json);
                }
                throw new LockfileException("package-lock.json version " + version + " is not supported");
            }
            case "yarn.lock" -> {
                String text = new String(lock, StandardCharsets.UTF_8);
                return text.contains("__metadata") ? YarnBerryGraph.build(manifest, text)
                        : YarnLockV1Graph.build(manifest, text);
            }
            default -> {
                return PnpmLockGraph.build(manifest, new String(lock, StandardCharsets.UTF_8));
            }
        }
    }
}
