package io.cragent.broker.client;

import io.cragent.broker.link.BrokerSocket;

/** A downstream request with where it came from: the socket (for its role) and the ack id in ws-response mode. */
public record InboundRequest(BrokerRequest request, BrokerSocket socket, Integer ackId) {
}
