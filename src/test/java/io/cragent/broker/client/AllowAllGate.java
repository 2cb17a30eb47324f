package io.cragent.broker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test scaffolding until the filter engine is merged: everything passes, to {@code origin}, headers as received. */
final class AllowAllGate implements RequestGate {
    private final String origin;

    AllowAllGate(String origin) {
        this.origin = origin;
    }

    @Override
    public Forward downstream(BrokerRequest request) {
        if (request.url().startsWith("/v2/")) {
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.keySet().removeAll(Set.of("host", "content-length"));
        return new Forward(URI.create(origin + request.url()), request.method(), headers, request.body());
    }

    @Override
    public boolean allowsUpstream(BrokerRequest request) {
        return !request.url().startsWith("/api/v1/");
    }

    @Override
    public JsonNode rules() {
        return new ObjectMapper().createObjectNode();
    }
}
