package io.cragent.credentials;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The twelve {@code CR_TYPE} values, with snyk's legacy spellings mapped to them. */
public enum RegistryType {
    ARTIFACTORY_CR("artifactory-cr"),
    HARBOR_CR("harbor-cr"),
    ACR("acr"),
    GCR("gcr"),
    GOOGLE_ARTIFACT_CR("google-artifact-cr"),
    ECR("ecr"),
    DOCKER_HUB("docker-hub"),
    QUAY_CR("quay-cr"),
    NEXUS_CR("nexus-cr"),
    GITHUB_CR("github-cr"),
    DIGITALOCEAN_CR("digitalocean-cr"),
    GITLAB_CR("gitlab-cr");

    private static final Map<String, RegistryType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toMap(RegistryType::id, t -> t));
    private static final Map<String, RegistryType> LEGACY = Map.of(
            "dockerhub", DOCKER_HUB, "elasticcr", ECR, "googlecr", GCR, "artifactorycr", ARTIFACTORY_CR);

    private final String id;

    RegistryType(String id) {
        this.id = id;
    }

    /** The canonical name, also the suffix of the type's route: {@code direct:type-<id>}. */
    public String id() {
        return id;
    }

    public static RegistryType fromName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        RegistryType type = BY_NAME.getOrDefault(key, LEGACY.get(key));
        if (type == null) {
            throw new AgentException(ErrorCode.INVALID_CREDENTIALS,
                    "unknown registry type; expected one of " + BY_NAME.keySet().stream().sorted().toList());
        }
        return type;
    }
}
