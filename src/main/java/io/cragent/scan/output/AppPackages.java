package io.cragent.scan.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.apps.AppResult;
import io.cragent.scan.apps.Fact;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The packages of an application result, from its depGraph or its jar fingerprints, for the SBOM and the table. */
public final class AppPackages {
    private static final Map<String, String> PURL_TYPES = Map.of("npm", "npm", "yarn", "npm", "pnpm", "npm",
            "pip", "pypi", "poetry", "pypi", "composer", "composer", "nuget", "nuget", "gomodules", "golang",
            "maven", "maven");

    /** One package: {@code name} is {@code group:artifact} for maven; {@code version} may be empty. */
    public record AppPackage(String name, String version, String purl) {
    }

    private AppPackages() {
    }

    public static List<AppPackage> of(AppResult result) {
        List<AppPackage> out = new ArrayList<>();
        for (Fact fact : result.facts()) {
            if (fact.type().equals("depGraph")) {
                String rootId = rootPkgId(fact.data());
                for (JsonNode pkg : fact.data().path("pkgs")) {
                    if (!pkg.path("id").asText().equals(rootId)) {
                        String name = pkg.path("info").path("name").asText();
                        String version = pkg.path("info").path("version").asText("");
                        out.add(new AppPackage(name, version, purl(result.type(), name, version)));
                    }
                }
            } else if (fact.type().equals("jarFingerprints")) {
                for (JsonNode fingerprint : fact.data().path("fingerprints")) {
                    if (fingerprint.hasNonNull("artifactId")) {
                        String group = fingerprint.path("groupId").asText("");
                        String name = group + ":" + fingerprint.path("artifactId").asText();
                        String version = fingerprint.path("version").asText("");
                        out.add(new AppPackage(name, version, purl("maven", name, version)));
                    }
                }
            }
        }
        return out;
    }

    private static String rootPkgId(JsonNode depGraph) {
        String rootNode = depGraph.path("graph").path("rootNodeId").asText();
        for (JsonNode node : depGraph.path("graph").path("nodes")) {
            if (node.path("nodeId").asText().equals(rootNode)) {
                return node.path("pkgId").asText();
            }
        }
        return "";
    }

    /** A package URL for the ecosystem, or null when the result's type has none. */
    static String purl(String resultType, String name, String version) {
        String type = PURL_TYPES.get(resultType);
        if (type == null || version.isEmpty()) {
            return null;
        }
        String path = switch (type) {
            case "maven" -> name.replace(':', '/');
            case "pypi" -> name.toLowerCase(Locale.ROOT).replace('_', '-');
            default -> name;
        };
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/")) {
            encoded.append(encoded.length() > 0 ? "/" : "").append(encode(segment));
        }
        return "pkg:" + type + "/" + encoded + "@" + encode(version);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }
}
