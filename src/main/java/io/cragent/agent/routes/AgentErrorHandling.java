package io.cragent.agent.routes;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Every agent route answers a failure with a JSON error and its status, never a stack trace. Global (no id), so the
 * YAML route sets of each registry type get it too. A sub-route that handles an error has answered, and its caller's
 * responder then leaves that answer alone.
 */
public class AgentErrorHandling extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration()
                .onException(Exception.class)
                    .handled(true)
                    .process("errorResponder")
                    .process("jsonResponder");
    }
}
