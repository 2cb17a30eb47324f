package io.cragent.broker.client.routes;

import io.cragent.broker.client.DownstreamFailure;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * A downstream request always gets an answer: an agent that cannot be reached or does not answer becomes snyk's
 * 502/504 error, sent back like any response. Anything else is logged by class only (messages may hold request data); on the local port it is a JSON 500.
 */
public class ClientErrorHandling extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration("client-downstream-errors")
                .onException(DownstreamFailure.class)
                    .handled(true)
                    .bean("downstream", "failed")
                    .bean("downstream", "respond")
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "io.cragent.broker.client",
                            "downstream request failed: ${exception.class.name}")
                    .bean("downstream", "failedUnexpectedly");

        routeConfiguration("client-http-errors")
                .onException(Exception.class)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "io.cragent.broker.client",
                            "local request failed: ${exception.class.name}")
                    .bean("upstream", "failed");
    }
}
