package io.cragent.broker.client;

import io.cragent.broker.link.BrokerSocket;
import io.cragent.broker.link.Frame;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Hands each {@code request} event of either socket to the {@code client-downstream} route's queue, on the
 * websocket's own thread: it only decodes and enqueues.
 */
public final class DownstreamDispatcher implements BiConsumer<BrokerSocket, Frame.Event> {
    private static final Logger LOG = LoggerFactory.getLogger(DownstreamDispatcher.class);

    private final Supplier<CamelContext> camelContext;
    private final String endpoint;
    private volatile ProducerTemplate producer;

    /** {@code camelContext} is asked for when the first request arrives, once Camel has started. */
    public DownstreamDispatcher(Supplier<CamelContext> camelContext, String endpoint) {
        this.camelContext = camelContext;
        this.endpoint = endpoint;
    }

    @Override
    public void accept(BrokerSocket socket, Frame.Event event) {
        if (!"request".equals(event.name())) {
            LOG.debug("ignored the '{}' event ({})", event.name(), socket.role());
            return;
        }
        try {
            InboundRequest inbound = new InboundRequest(WireRequests.fromServer(event.arg(0)), socket, event.ackId());
            producer().sendBody(endpoint, inbound);
        } catch (RuntimeException e) {
            LOG.error("cannot queue a request from the broker server ({}): {}", socket.role(), e.toString());
        }
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = camelContext.get().createProducerTemplate();
                }
            }
        }
        return producer;
    }
}
