package io.cragent.agent.routes;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of the routes that answer no HTTP request. {@code jobs}: a job that fails outside the per-image
 * scan (which reports its own errors) fails as a whole, and whatever it had not reported is reported.
 * {@code spool}: none, so that a failure to write a callback reaches the job that wrote it. {@code callbacks}: reading
 * the spool failed; logged, and the consumer tries the file again at its next poll (failed deliveries are the
 * sender's business, with backoff).
 */
public class JobErrorHandling extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration("jobs")
                .onException(Exception.class)
                    .handled(true)
                    .bean("jobSteps", "jobFailed")
                    .split(body())
                        .to("direct:callback-spool")
                    .end()
                    .bean("jobSteps", "reportSpooled");

        // No error handler at all: the failure goes back untouched to the job that was writing, whose handler runs.
        routeConfiguration("spool").errorHandler(noErrorHandler());

        routeConfiguration("callbacks")
                .onException(Exception.class)
                    .handled(true)
                    .log(org.apache.camel.LoggingLevel.ERROR, "io.cragent.agent.callbacks",
                            "${routeId}: ${exception.class.simpleName}: ${exception.message}");
    }
}
