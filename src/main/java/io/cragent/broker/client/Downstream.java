package io.cragent.broker.client;

import io.cragent.broker.filter.BlockedResponse;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a downstream request (broker-protocol.md §3.2), each called by the {@code client-downstream} route:
 * the private rules, the call to the agent, a failure turned into snyk's error, the response sent back. The
 * request travels in an exchange property; the body is the {@link ClientResponse} once there is one.
 */
public final class Downstream {
    private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);
    public static final String INBOUND = "brokerInbound";
    public static final String FORWARD = "brokerForward";
    private static final String RESPONDING = "brokerResponding";

    private final RequestGate gate;
    private final AgentForwarder forwarder;
    private final ResponseSender sender;

    public Downstream(RequestGate gate, AgentForwarder forwarder, ResponseSender sender) {
        this.gate = gate;
        this.forwarder = forwarder;
        this.sender = sender;
    }

    /** Private rules, substitution, header preparation: sets {@link #FORWARD}, or the body to the 401 answer. */
    public void gate(Exchange exchange) {
        InboundRequest inbound = exchange.getMessage().getBody(InboundRequest.class);
        exchange.setProperty(INBOUND, inbound);
        BrokerRequest request = inbound.request();
        RequestGate.Forward forward = gate.downstream(request);
        if (forward == null) {
            LOG.warn("blocked {} {} (request {}): no accept rule matches", request.method(), pathOnly(request.url()),
                    request.requestId());
            BlockedResponse blocked = BlockedResponse.downstream(request.url());
            exchange.getMessage().setBody(ClientResponse.ofJson(blocked.status(), blocked.errorType(), blocked.bodyJson()));
        } else {
            exchange.setProperty(FORWARD, forward);
        }
    }

    public void forward(Exchange exchange) {
        RequestGate.Forward forward = exchange.getProperty(FORWARD, RequestGate.Forward.class);
        exchange.getMessage().setBody(forwarder.forward(forward));
    }

    /** The {@link DownstreamFailure} that stopped the route, as snyk's 502/504 answer. */
    public void failed(Exchange exchange) {
        DownstreamFailure failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, DownstreamFailure.class);
        exchange.getMessage().setBody(forwarder.failure(failure));
    }

    /**
     * Any other failure: the server is still waiting, so answer 502 DOWNSTREAM_ERROR unless the failure was in
     * sending the answer itself (then the server's own timeout ends the wait).
     */
    public void failedUnexpectedly(Exchange exchange) {
        InboundRequest inbound = exchange.getProperty(INBOUND, InboundRequest.class);
        if (inbound == null || exchange.getProperty(RESPONDING, false, Boolean.class)) {
            return;
        }
        try {
            sender.send(inbound, forwarder.failure(DownstreamFailure.error("the client failed to handle the request", null)));
        } catch (Exception e) {
            LOG.error("cannot answer request {}: {}", inbound.request().requestId(), e.getClass().getName());
        }
    }

    public void respond(Exchange exchange) throws Exception {
        exchange.setProperty(RESPONDING, true);
        InboundRequest inbound = exchange.getProperty(INBOUND, InboundRequest.class);
        sender.send(inbound, exchange.getMessage().getBody(ClientResponse.class));
    }

    /** Logs show the path, never the query (it may carry data). */
    static String pathOnly(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
