package io.cragent.agent.types;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.VendorFake;
import org.junit.jupiter.api.AfterAll;

import java.util.ArrayList;
import java.util.List;

/**
 * A registry type against a fake of its vendor's REST API, with the real CNCF registry serving the OCI part
 * behind it. Subclasses start both in {@code @BeforeAll} and point the agent's vendor API base at the fake.
 */
public abstract class VendorTypeTestSupport extends AgentTestSupport {
    protected DistributionRegistry registry;
    protected VendorFake vendor;

    /** Starts the registry (trusted through CA_CERT) and the vendor fake. */
    protected void startPeers(DistributionRegistry.Mode mode) {
        registry = DistributionRegistry.start(mode);
        vendor = VendorFake.start();
        if (registry.caCertPath() != null) {
            override("cragent.registry.ca-cert", registry.caCertPath().toString());
        }
    }

    /**
     * Starts the vendor fake first, then the registry with its challenge naming the fake's {@code realmPath} as
     * the realm and {@code service} as the service: the fake plays the vendor's token service.
     */
    protected void startPeersBehindRealm(String realmPath, String service) {
        vendor = VendorFake.start();
        registry = DistributionRegistry.startBehindRealm(vendor.baseUrl() + realmPath, service);
        override("cragent.registry.ca-cert", registry.caCertPath().toString());
    }

    @AfterAll
    void stopPeers() {
        if (vendor != null) {
            vendor.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    protected static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Items {@code [(page-1)*size, page*size)} of a list, as a vendor serves numbered pages. */
    protected static <T> List<T> page(List<T> all, int page, int size) {
        int from = Math.min(all.size(), (page - 1) * size);
        return all.subList(from, Math.min(all.size(), from + size));
    }

    protected static int number(String text, int fallback) {
        return text == null ? fallback : Integer.parseInt(text);
    }
}
