package io.cragent.broker.client;

import io.cragent.broker.link.BrokerLink;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Readiness of the broker client: a websocket to the broker server is open (as {@code /healthcheck} says). */
public final class LinkHealthCheck extends AbstractHealthCheck {
    private final BrokerLink link;

    public LinkHealthCheck(BrokerLink link) {
        super("cragent", "broker-link");
        this.link = link;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (link.anyOpen()) {
            builder.up().message("websocket to the broker server open");
        } else {
            builder.down().message("no websocket to the broker server is open");
        }
    }
}
