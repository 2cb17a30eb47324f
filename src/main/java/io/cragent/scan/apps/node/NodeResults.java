package io.cragent.scan.apps.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.output.DepGraph;

import java.util.List;

/** Scan results in the reference's shape: facts {@code depGraph} then {@code testedFiles}. */
final class NodeResults {
    private NodeResults() {
    }

    /** A lockfile project: {@code testedFiles} names the manifest and the lockfile. */
    static AppResult lockfileProject(String type, String manifestPath, String lockfileName, DepGraph graph) {
        JsonNode tested = JsonNodeFactory.instance.arrayNode().add(NodePaths.MANIFEST).add(lockfileName);
        return result(type, manifestPath, graph, tested);
    }

    /** An installed tree: {@code testedFiles} is the target file itself, as a string. */
    static AppResult installedTree(String type, String targetFile, DepGraph graph) {
        return result(type, targetFile, graph, JsonNodeFactory.instance.textNode(targetFile));
    }

    private static AppResult result(String type, String targetFile, DepGraph graph, JsonNode tested) {
        return new AppResult(type, targetFile, List.of(new Fact("depGraph", graph.toJson()),
                new Fact("testedFiles", tested)));
    }
}
