package io.cragent.agent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.agent.AgentRequest;
import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.ImageReference;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.metrics.Metrics;
import org.apache.camel.ExchangeProperty;
import io.cragent.scan.ImageScanner;
import io.cragent.scan.ScanReport;
import io.cragent.scan.source.RegistrySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls and scans one image of a job, streaming its layers from the registry (the same scanner as the {@code scan}
 * command): the generic OCI flow's {@code scan-image} operation. Never throws: a failure becomes an {@link ImageOutcome} with a stable code, so that one bad image does
 * not stop the others.
 */
public final class ImageScans {
    private static final Logger LOG = LoggerFactory.getLogger(ImageScans.class);

    private final RegistryClients clients;
    private final ImageScanner scanner;
    private final Metrics metrics;

    public ImageScans(RegistryClients clients, ImageScanner scanner, Metrics metrics) {
        this.metrics = metrics;
        this.clients = clients;
        this.scanner = scanner;
    }

    /**
     * The registry host image names may start with; also validates {@code registryBase} (form, scheme, address),
     * so that a request naming a registry the agent may not reach is refused before it is queued.
     */
    public String registryHost(RegistryCredentials credentials) {
        // ECR names its registry only once the role is assumed: image names are then checked without a host.
        return credentials.type() == RegistryType.ECR ? null : client(credentials).endpoint().authority();
    }

    /**
     * The {@code scan-image} operation, reached through the route set of the credential's type (which may first
     * replace the credentials, as ECR's does with its registry login).
     */
    public ImageOutcome scan(@ExchangeProperty(AgentRequest.PROPERTY) AgentRequest request,
                             @ExchangeProperty(ScanJob.PROPERTY) ScanJob job) {
        long start = System.nanoTime();
        ImageOutcome outcome = scanOrFail(request, job, start);
        metrics.scanned(request.credentials().type().id(),
                outcome.ok() ? "success" : outcome.errorCode().name().toLowerCase(java.util.Locale.ROOT),
                java.time.Duration.ofNanos(System.nanoTime() - start));
        return outcome;
    }

    private ImageOutcome scanOrFail(AgentRequest request, ScanJob job, long start) {
        String imageName = request.target();
        try {
            RegistryClient client = client(request.credentials());
            ImageReference reference = ImageReference.parse(imageName, client.endpoint().authority());
            String displayName = client.endpoint().authority() + "/" + reference.repository();
            ScanReport report = scanner.scan(new RegistrySource(client, reference, request.platform(), displayName));
            int packages = 0;
            for (JsonNode result : report.pluginResponse().path("scanResults")) {
                for (JsonNode fact : result.path("facts")) {
                    if (fact.path("type").asText().equals("depGraph")) {
                        packages += Math.max(0, fact.path("data").path("pkgs").size() - 1);
                    }
                }
            }
            LOG.info("job {}: scanned {} in {} ms: {} packages", job.id(), imageName,
                    (System.nanoTime() - start) / 1_000_000, packages);
            return ImageOutcome.scanned(imageName, report.pluginResponse(), packages);
        } catch (AgentException e) {
            LOG.info("job {}: {} failed: {} {}", job.id(), imageName, e.code(), e.getMessage());
            return ImageOutcome.failed(imageName, e.code(), e.getMessage());
        } catch (java.io.IOException e) {
            LOG.info("job {}: {} failed: {}", job.id(), imageName, e.getClass().getSimpleName());
            return ImageOutcome.failed(imageName, ErrorCode.REGISTRY_UNAVAILABLE,
                    "the image could not be read from the registry");
        } catch (RuntimeException e) {
            LOG.error("job {}: {} failed unexpectedly", job.id(), imageName, e);
            return ImageOutcome.failed(imageName, ErrorCode.INTERNAL_ERROR, "internal error; see the agent's log");
        }
    }

    private RegistryClient client(RegistryCredentials credentials) {
        return clients.forCredentials(credentials, RegistryClients.pathMeaning(credentials.type()));
    }
}
