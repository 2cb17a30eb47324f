package io.cragent.agent;

import io.cragent.credentials.RegistryCredentials;
import io.cragent.registry.manifest.Platform;

/**
 * A validated agent API request, kept in an exchange property rather than in headers: headers come from the
 * caller, travel to responses, and show in traces.
 *
 * @param target   the repository, or {@code repo:tag} / {@code repo@digest}, the request is about; null for none
 * @param pageSize for paged listings
 * @param cursor   the opaque cursor of the page to serve, null for the first
 */
public record AgentRequest(String operation, RegistryCredentials credentials, String target, Platform platform,
                           int pageSize, String cursor) {

    /** The exchange property holding it. */
    public static final String PROPERTY = "agentRequest";

    @Override
    public String toString() {
        return "AgentRequest[" + operation + ", " + credentials + ", target=" + target + "]";
    }
}
