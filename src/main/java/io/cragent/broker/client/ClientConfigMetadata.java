package io.cragent.broker.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code clientConfig} block of identify: what the SaaS is told about this client's set-up, field for field as
 * snyk's client fills it. {@code tlsReject} is true there only when TLS verification is switched off
 * ({@code NODE_TLS_REJECT_UNAUTHORIZED=0}), which this client never does.
 */
record ClientConfigMetadata(String clientId, String version, boolean privateCa, boolean proxy, boolean customAccept) {

    ObjectNode toJson() {
        return Json.MAPPER.createObjectNode().put("brokerClientId", clientId).put("version", version)
                .put("haMode", false).put("debugMode", false).put("bodyLogMode", false).put("credPooling", false)
                .put("privateCa", privateCa).put("tlsReject", false).put("proxy", proxy)
                .put("customAccept", customAccept).put("insecureDownstream", false).put("universalBroker", false);
    }
}
