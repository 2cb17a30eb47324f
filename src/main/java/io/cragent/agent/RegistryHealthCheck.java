package io.cragent.agent;

import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.RegistryClients;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;
import java.util.Set;

/**
 * Readiness: the default registry (credentials in the agent's own environment) answers {@code GET /v2/}. Without
 * default credentials the agent serves whatever registries requests name, and this check is always UP. A registry
 * that answers, even 401, is reachable; unreachable means no answer, a TLS failure or a 5xx.
 */
public final class RegistryHealthCheck extends AbstractHealthCheck {
    private static final Set<ErrorCode> UNREACHABLE = Set.of(ErrorCode.REGISTRY_UNAVAILABLE, ErrorCode.TLS_ERROR);

    private final RegistryClients clients;
    private final RegistryCredentials credentials;

    /** @param clients a transport without retries and with short timeouts: a probe must answer quickly */
    public RegistryHealthCheck(RegistryClients clients, RegistryCredentials credentials) {
        super("cragent", "registry");
        this.clients = clients;
        this.credentials = credentials;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (credentials == null || credentials.type() == RegistryType.ECR) {
            builder.up().message("no default registry configured");
            return;
        }
        try {
            clients.forCredentials(credentials, RegistryClients.pathMeaning(credentials.type())).checkAccess();
            builder.up().message("registry reachable");
        } catch (AgentException e) {
            if (UNREACHABLE.contains(e.code())) {
                builder.down().message("registry unreachable: " + e.code());
            } else {
                builder.up().message("registry reachable (" + e.code() + ")");
            }
        } catch (RuntimeException e) {
            builder.down().message("registry unreachable: " + e.getClass().getSimpleName());
        }
    }
}
