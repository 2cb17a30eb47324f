package io.cragent.scan.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.os.OsPackages;
import io.cragent.scan.os.OsRelease;
import io.cragent.scan.source.ImageDescription;
import io.cragent.scan.source.Layer;

import java.util.List;
import java.util.Map;

/**
 * snyk-docker-plugin's {@code PluginResponse}: {@code scanResults[0]} is the OS result with its facts in the
 * reference's order, so that the Snyk backend consumes ours as it consumes theirs.
 */
public final class SnykResponse {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CONTAINER_CONFIG = Map.of("User", "user", "Env", "env",
            "Entrypoint", "entrypoint", "Cmd", "cmd", "WorkingDir", "workingDir", "StopSignal", "stopSignal",
            "ArgsEscaped", "argsEscaped");

    private SnykResponse() {
    }

    public static ObjectNode build(ImageDescription image, OsRelease os, OsPackages.Result packages, List<Fact> osFacts,
                                   List<AppResult> apps, List<String> warnings, String pluginVersion) {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode results = response.putArray("scanResults");
        ObjectNode osResult = results.addObject();
        osResult.putObject("target").put("image", image.rootName());
        ObjectNode identity = osResult.putObject("identity");
        identity.put("type", packages.packageManager());
        identity.putObject("args").put("platform", image.platform());

        ArrayNode facts = osResult.putArray("facts");
        DepGraph graph = OsPackages.graph(packages, os, new DepGraph.Pkg(image.rootName(), image.rootVersion(), null));
        fact(facts, "depGraph", graph.toJson());
        osFacts.forEach(f -> fact(facts, f.type(), f.data()));
        fact(facts, "imageId", JSON.getNodeFactory().textNode(image.imageId()));
        ArrayNode layerIds = JSON.createArrayNode();
        image.layers().stream().map(Layer::id).forEach(layerIds::add);
        fact(facts, "imageLayers", layerIds);
        JsonNode config = image.config().raw();
        JsonNode labels = config.path("config").path("Labels");
        if (labels.isObject() && !labels.isEmpty()) {
            fact(facts, "imageLabels", labels);
        }
        ObjectNode containerConfig = containerConfig(config.path("config"));
        if (!containerConfig.isEmpty()) {
            fact(facts, "containerConfig", containerConfig);
        }
        ArrayNode history = history(config.path("history"));
        if (!history.isEmpty()) {
            fact(facts, "history", history);
        }
        if (config.hasNonNull("created")) {
            fact(facts, "imageCreationTime", config.get("created"));
        }
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        if (diffIds.isArray() && !diffIds.isEmpty()) {
            fact(facts, "rootFs", diffIds);
        }
        if (os.prettyName() != null) {
            fact(facts, "imageOsReleasePrettyName", JSON.getNodeFactory().textNode(os.prettyName()));
        }
        imageNames(facts, image);
        fact(facts, "platform", JSON.getNodeFactory().textNode(image.platform()));
        fact(facts, "pluginVersion", JSON.getNodeFactory().textNode(pluginVersion));
        if (!warnings.isEmpty()) {
            ObjectNode w = JSON.createObjectNode();
            ArrayNode notes = w.putArray("notes");
            warnings.forEach(notes::add);
            fact(facts, "pluginWarnings", w);
        }
        for (AppResult app : apps) {
            ObjectNode result = results.addObject();
            result.putObject("target").put("image", image.rootName());
            ObjectNode appIdentity = result.putObject("identity");
            appIdentity.put("type", app.type());
            appIdentity.put("targetFile", app.targetFile());
            ArrayNode appFacts = result.putArray("facts");
            app.facts().forEach(f -> fact(appFacts, f.type(), f.data()));
            fact(appFacts, "imageId", JSON.getNodeFactory().textNode(image.imageId()));
            imageNames(appFacts, image);
            fact(appFacts, "pluginVersion", JSON.getNodeFactory().textNode(pluginVersion));
        }
        return response;
    }

    /** {@code imageNames}, for registry images only. */
    private static void imageNames(ArrayNode facts, ImageDescription image) {
        if (!image.imageNames().isEmpty()) {
            ObjectNode names = JSON.createObjectNode();
            ArrayNode list = names.putArray("names");
            image.imageNames().forEach(list::add);
            fact(facts, "imageNames", names);
        }
    }

    private static ObjectNode containerConfig(JsonNode config) {
        ObjectNode out = JSON.createObjectNode();
        if (!config.isObject()) {
            return out;
        }
        for (String key : List.of("User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir",
                "StopSignal", "ArgsEscaped")) {
            JsonNode value = config.get(key);
            if (value == null || value.isNull()) {
                continue;
            }
            if (key.equals("ExposedPorts") || key.equals("Volumes")) {
                ArrayNode keys = out.putArray(key.equals("ExposedPorts") ? "exposedPorts" : "volumes");
                value.fieldNames().forEachRemaining(keys::add);
            } else {
                out.set(CONTAINER_CONFIG.get(key), value);
            }
        }
        return out;
    }

    private static ArrayNode history(JsonNode history) {
        ArrayNode out = JSON.createArrayNode();
        if (!history.isArray()) {
            return out;
        }
        for (JsonNode entry : history) {
            ObjectNode item = out.addObject();
            copy(entry, "created", item, "created");
            copy(entry, "author", item, "author");
            copy(entry, "created_by", item, "createdBy");
            copy(entry, "comment", item, "comment");
            copy(entry, "empty_layer", item, "emptyLayer");
        }
        return out;
    }

    private static void copy(JsonNode from, String key, ObjectNode to, String as) {
        if (from.hasNonNull(key)) {
            to.set(as, from.get(key));
        }
    }

    private static void fact(ArrayNode facts, String type, JsonNode data) {
        ObjectNode fact = facts.addObject();
        fact.put("type", type);
        fact.set("data", data);
    }
}
