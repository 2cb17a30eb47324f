package io.cragent.broker.client.routes;

import io.cragent.broker.client.Downstream;
import io.cragent.broker.client.Upstream;
import io.cragent.http.ErrorBodyShape;
import io.cragent.http.ServerErrorsAsJson;
import org.apache.camel.builder.RouteBuilder;

/**
 * The broker client's flows. Downstream: a request event of either websocket → the private rules → the agent →
 * the response back to the server. Upstream: a callback on the local port → the public rules → the server over the
 * websocket → its answer. Beside them the client's own endpoints.
 */
public class ClientRoutes extends RouteBuilder {
    /** Requests relayed, counted into the client's Prometheus registry (bean {@code metricsRegistry}). */
    private static final String RELAYED = "micrometer:counter:cragent.client.relayed.requests";

    @Override
    public void configure() throws Exception {
        ServerErrorsAsJson.install(getCamelContext(), ErrorBodyShape.CLIENT);
        from("{{cragent.client.downstream-queue}}?concurrentConsumers={{cragent.client.downstream-concurrency}}"
                + "&size={{cragent.client.downstream-queue-size}}")
                .routeId("client-downstream")
                .routeConfigurationId("client-downstream-errors")
                .bean("downstream", "gate")
                .choice()
                    .when(exchangeProperty(Downstream.FORWARD).isNotNull())
                        .bean("downstream", "forward")
                        .to(RELAYED + "?tags.direction=downstream&tags.outcome=forwarded")
                    .otherwise()
                        .to(RELAYED + "?tags.direction=downstream&tags.outcome=blocked")
                .end()
                .bean("downstream", "respond");

        from("platform-http:{{cragent.client.healthcheck-path}}?httpMethodRestrict=GET")
                .routeId("client-healthcheck").routeConfigurationId("client-http-errors")
                .bean("clientChecks", "health");
        from("platform-http:{{cragent.client.systemcheck-path}}?httpMethodRestrict=GET")
                .routeId("client-systemcheck").routeConfigurationId("client-http-errors")
                .bean("clientChecks", "systemCheck");
        from("platform-http:/filters?httpMethodRestrict=GET")
                .routeId("client-filters").routeConfigurationId("client-http-errors")
                .bean("clientChecks", "filters");

        // Last: every other path is a callback for the public rules to judge.
        from("platform-http:/*")
                .routeId("client-upstream").routeConfigurationId("client-http-errors")
                .bean("upstream", "relay")
                .to(RELAYED + "?tags.direction=upstream&tags.outcome=${exchangeProperty." + Upstream.OUTCOME + "}");
    }
}
