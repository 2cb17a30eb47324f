package io.cragent.agent.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.agent.jobs.ImageOutcome;
import io.cragent.agent.jobs.JobKind;
import io.cragent.agent.jobs.JobRecord;
import io.cragent.errors.ErrorCode;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a job's outcomes into callback bodies (README, "Callbacks"): per image
 * {@code {"jobId","imageName","deliveryId","context","result"}} or {@code …,"error"}, then the job summary. A
 * body over the limit is split: scan results are spread over numbered parts ({@code part}, {@code parts}), an OS
 * depGraph too large for one part is cut into package chunks (edges between chunks are left out), and a fact that
 * still does not fit is left out; {@code warnings} says which of these happened.
 */
public final class CallbackParts {
    /** Room kept in each part for the envelope fields added after measuring. */
    private static final int ENVELOPE_SLACK = 4096;

    private final ObjectMapper json = new ObjectMapper();
    private final int maxBodyBytes;

    public CallbackParts(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The callbacks reporting one image; none when the job has no callback base. */
    public List<Callback> forImage(JobRecord job, ImageOutcome outcome) {
        if (job.callbackBase() == null) {
            return List.of();
        }
        ObjectNode base = envelope(job, outcome.imageName());
        if (!outcome.ok()) {
            base.putObject("error").put("code", outcome.errorCode().name()).put("message", outcome.errorMessage());
            return List.of(callback(job, base, false));
        }
        ObjectNode whole = base.deepCopy();
        whole.set("result", outcome.result());
        byte[] bytes = bytes(whole);
        if (bytes.length <= maxBodyBytes) {
            return List.of(new Callback(job.jobId(), base.get("deliveryId").asText(), resultUrl(job),
                    headers(job, base.get("deliveryId").asText()), bytes, false));
        }
        return split(job, base, outcome.result(), bytes.length);
    }

    /** The callbacks for images that failed without having been reported (an interrupted job). */
    public List<Callback> forUnreported(JobRecord job) {
        List<Callback> callbacks = new ArrayList<>();
        for (JobRecord.Image image : job.images()) {
            if (image.callbackParts() == null && image.error() != null) {
                callbacks.addAll(forImage(job, ImageOutcome.failed(image.imageName(),
                        ErrorCode.valueOf(image.error().code()), image.error().message())));
            }
        }
        callbacks.addAll(done(job));
        return callbacks;
    }

    /** The job summary, for kinds that have a done callback. */
    public List<Callback> done(JobRecord job) {
        JobKind kind = JobKind.valueOf(job.kind().toUpperCase(Locale.ROOT));
        if (job.callbackBase() == null || kind.donePath() == null) {
            return List.of();
        }
        ObjectNode body = json.createObjectNode();
        body.put("jobId", job.jobId());
        body.put("deliveryId", job.jobId() + "/done");
        body.put("kind", job.kind());
        body.put("state", job.state());
        body.set("images", json.valueToTree(job.images()));
        body.set("context", job.context());
        body.put("acceptedAt", job.acceptedAt());
        body.put("startedAt", job.startedAt());
        body.put("finishedAt", job.finishedAt());
        if (job.error() != null) {
            body.set("error", json.valueToTree(job.error()));
        }
        String deliveryId = job.jobId() + "/done";
        return List.of(new Callback(job.jobId(), deliveryId, job.callbackBase() + kind.donePath(),
                headers(job, deliveryId), bytes(body), true));
    }

    private List<Callback> split(JobRecord job, ObjectNode base, JsonNode result, int wholeSize) {
        int budget = maxBodyBytes - bytes(base).length - ENVELOPE_SLACK;
        List<String> warnings = new ArrayList<>();
        warnings.add("the result has " + wholeSize + " bytes, over the " + maxBodyBytes
                + "-byte callback limit: it is split into parts (part of parts); join them by jobId and imageName");
        List<JsonNode> pieces = new ArrayList<>();
        for (JsonNode scanResult : result.path("scanResults")) {
            if (bytes(scanResult).length <= budget) {
                pieces.add(scanResult);
            } else {
                pieces.addAll(splitScanResult((ObjectNode) scanResult, budget, warnings));
            }
        }
        List<ArrayNode> groups = new ArrayList<>();
        ArrayNode current = json.createArrayNode();
        int currentSize = 0;
        for (JsonNode piece : pieces) {
            int size = bytes(piece).length + 1;
            if (!current.isEmpty() && currentSize + size > budget) {
                groups.add(current);
                current = json.createArrayNode();
                currentSize = 0;
            }
            current.add(piece);
            currentSize += size;
        }
        groups.add(current);

        List<Callback> callbacks = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            ObjectNode part = base.deepCopy();
            String deliveryId = base.get("deliveryId").asText() + "/part-" + (i + 1);
            part.put("deliveryId", deliveryId);
            part.put("part", i + 1);
            part.put("parts", groups.size());
            ArrayNode notes = part.putArray("warnings");
            warnings.forEach(notes::add);
            ObjectNode partResult = part.putObject("result");
            partResult.set("scanResults", groups.get(i));
            callbacks.add(new Callback(job.jobId(), deliveryId, resultUrl(job), headers(job, deliveryId), bytes(part),
                    false));
        }
        return callbacks;
    }

    /** A scan result over the budget: its depGraph cut into package chunks, the largest other facts left out. */
    private List<JsonNode> splitScanResult(ObjectNode scanResult, int budget, List<String> warnings) {
        String target = scanResult.path("identity").path("type").asText("?") + " "
                + scanResult.path("identity").path("targetFile").asText(scanResult.path("target").path("image").asText(""));
        ObjectNode graph = null;
        List<JsonNode> otherFacts = new ArrayList<>();
        for (JsonNode fact : scanResult.path("facts")) {
            if (graph == null && fact.path("type").asText().equals("depGraph") && fact.path("data").isObject()) {
                graph = (ObjectNode) fact.get("data");
            } else {
                otherFacts.add(fact);
            }
        }
        // Without the depGraph the rest must fit in one part: leave out the largest facts until it does.
        ObjectNode shell = withFacts(scanResult, otherFacts);
        while (bytes(shell).length > budget / 2 && !otherFacts.isEmpty()) {
            JsonNode largest = otherFacts.stream().max(java.util.Comparator.comparingInt(f -> bytes(f).length)).get();
            otherFacts.remove(largest);
            warnings.add("the " + largest.path("type").asText() + " fact of " + target + " (" + bytes(largest).length
                    + " bytes) is left out: it does not fit in a callback");
            shell = withFacts(scanResult, otherFacts);
        }
        if (graph == null) {
            return List.of(shell);
        }
        int room = budget - bytes(shell).length;
        ArrayNode pkgs = (ArrayNode) graph.path("pkgs");
        int packages = Math.max(0, pkgs.size() - 1);
        int chunks = Math.max(2, (int) Math.ceil(bytes(graph).length / (room * 0.8)));
        while (true) {
            List<JsonNode> pieces = new ArrayList<>();
            boolean fits = true;
            for (int c = 0; c < chunks && fits; c++) {
                int from = 1 + (int) ((long) packages * c / chunks);
                int to = 1 + (int) ((long) packages * (c + 1) / chunks);
                ObjectNode chunk = graphChunk(graph, from, to);
                List<JsonNode> facts = new ArrayList<>();
                ObjectNode fact = json.createObjectNode().put("type", "depGraph");
                fact.set("data", chunk);
                facts.add(fact);
                facts.addAll(otherFacts);
                ObjectNode piece = withFacts(scanResult, facts);
                fits = bytes(piece).length <= budget;
                pieces.add(piece);
            }
            if (fits || chunks >= packages) {
                warnings.add("the depGraph of " + target + " (" + packages + " packages) is cut into " + chunks
                        + " chunks, each with the root and a share of the packages; edges between chunks are left out");
                return pieces;
            }
            chunks = Math.min(packages, chunks * 2);
        }
    }

    /** The depGraph with its root and packages [from, to): root links to each of them, edges inside kept. */
    private ObjectNode graphChunk(ObjectNode graph, int from, int to) {
        ArrayNode pkgs = (ArrayNode) graph.get("pkgs");
        java.util.Set<String> ids = new java.util.HashSet<>();
        ObjectNode chunk = json.createObjectNode();
        graph.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("pkgs") && !field.getKey().equals("graph")) {
                chunk.set(field.getKey(), field.getValue());
            }
        });
        ArrayNode chunkPkgs = chunk.putArray("pkgs");
        chunkPkgs.add(pkgs.get(0));
        for (int i = from; i < to; i++) {
            chunkPkgs.add(pkgs.get(i));
            ids.add(pkgs.get(i).path("id").asText());
        }
        JsonNode g = graph.path("graph");
        String rootNodeId = g.path("rootNodeId").asText();
        ObjectNode chunkGraph = chunk.putObject("graph");
        chunkGraph.put("rootNodeId", rootNodeId);
        ArrayNode nodes = chunkGraph.putArray("nodes");
        ObjectNode root = nodes.addObject();
        ArrayNode rootDeps = null;
        java.util.Set<String> nodeIds = new java.util.HashSet<>();
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode node : g.path("nodes")) {
            if (node.path("nodeId").asText().equals(rootNodeId)) {
                ObjectNode rootCopy = ((ObjectNode) node).deepCopy();
                rootCopy.remove("deps");
                root.setAll(rootCopy);
                rootDeps = root.putArray("deps");
            } else if (ids.contains(node.path("pkgId").asText())) {
                kept.add(node);
                nodeIds.add(node.path("nodeId").asText());
            }
        }
        if (rootDeps == null) {
            root.put("nodeId", rootNodeId).put("pkgId", pkgs.get(0).path("id").asText());
            rootDeps = root.putArray("deps");
        }
        for (JsonNode node : kept) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            ArrayNode deps = copy.putArray("deps");
            for (JsonNode dep : node.path("deps")) {
                if (nodeIds.contains(dep.path("nodeId").asText())) {
                    deps.add(dep);
                }
            }
            nodes.add(copy);
            rootDeps.addObject().put("nodeId", node.path("nodeId").asText());
        }
        return chunk;
    }

    private ObjectNode withFacts(ObjectNode scanResult, List<JsonNode> facts) {
        ObjectNode copy = json.createObjectNode();
        scanResult.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("facts")) {
                copy.set(field.getKey(), field.getValue());
            }
        });
        copy.putArray("facts").addAll(facts);
        return copy;
    }

    private ObjectNode envelope(JobRecord job, String imageName) {
        ObjectNode body = json.createObjectNode();
        body.put("jobId", job.jobId());
        body.put("imageName", imageName);
        body.put("deliveryId", job.jobId() + "/" + imageName);
        body.put("platform", job.platform());
        body.set("context", job.context());
        return body;
    }

    private Callback callback(JobRecord job, ObjectNode body, boolean done) {
        String deliveryId = body.get("deliveryId").asText();
        return new Callback(job.jobId(), deliveryId, resultUrl(job), headers(job, deliveryId), bytes(body), done);
    }

    private static String resultUrl(JobRecord job) {
        return job.callbackBase() + JobKind.valueOf(job.kind().toUpperCase(Locale.ROOT)).resultPath();
    }

    private static Map<String, String> headers(JobRecord job, String deliveryId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        if (job.correlation() != null) {
            headers.putAll(job.correlation());
        }
        headers.put(Callback.DELIVERY_ID_HEADER, deliveryId);
        return headers;
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
