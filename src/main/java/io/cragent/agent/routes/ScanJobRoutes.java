package io.cragent.agent.routes;

import io.cragent.agent.AgentRequestReader;
import io.cragent.agent.jobs.JobSteps;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;

/**
 * Asynchronous scans: ingress → validation → the queue (an endpoint URI in the configuration, in-process by
 * default) → pull and scan, at most {@code MAX_ACTIVE_OPERATIONS} at once → callbacks written to the spool → the
 * spool consumer delivers them, at least once. The API routes of {@code /scan} and {@code /discover} hand their
 * requests to {@code direct:job-ingress}.
 */
public class ScanJobRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:job-ingress").routeId("job-ingress")
                .process("scanRequestReader")
                .bean("jobSteps", "accept")
                .doTry()
                    .to(ExchangePattern.InOnly, "{{cragent.jobs.queue-uri}}")
                .doCatch(Exception.class)
                    .bean("jobSteps", "queueFull")
                .end()
                .bean("jobSteps", "accepted")
                .process("jsonResponder");

        from("{{cragent.jobs.queue-uri}}").routeId("job-worker").routeConfigurationId("jobs")
                .bean("jobSteps", "started")
                .split(method("jobSteps", "images"))
                    // Through the route set of the credential's type, as every registry operation goes.
                    .bean("jobSteps", "imageRequest")
                    .enrich().simple("direct:type-${exchangeProperty." + AgentRequestReader.REGISTRY_TYPE + "}")
                        .aggregationStrategy(new JobSteps.OutcomeOf())
                    .end()
                    .setProperty(JobSteps.OUTCOME, body())
                    .bean("jobSteps", "imageCallbacks")
                    .split(body())
                        .to("direct:callback-spool")
                    .end()
                    .bean("jobSteps", "imageReported")
                .end()
                .bean("jobSteps", "finished")
                .split(body())
                    .to("direct:callback-spool")
                .end()
                .bean("jobSteps", "reportSpooled");

        // Jobs a previous run left unfinished, or finished but perhaps not reported, are reported once at start.
        from("timer:jobs-recovery?repeatCount=1&delay=10").routeId("jobs-recovery").routeConfigurationId("jobs")
                .bean("jobSteps", "interrupted")
                .split(body())
                    .to("direct:callback-spool")
                .end()
                .bean("jobSteps", "recoveredReported");

        from("timer:jobs-expiry?period={{cragent.jobs.expiry-check-seconds}}s").routeId("jobs-expiry")
                .routeConfigurationId("jobs")
                .bean("jobStore", "expire");

        // Written before any attempt to send: a callback in the spool survives a restart.
        // A failure here goes back to the caller: a job must not count an image as reported unless it was spooled.
        from("direct:callback-spool").routeId("callback-spool").routeConfigurationId("spool")
                .bean("callbackSpool", "prepare")
                .to("file:{{cragent.callbacks.spool-dir}}?tempPrefix=.writing-");

        // The spool consumer: each file due (backoff passed, a job's results before its done) is sent; the sender
        // deletes it once delivered, so a file stays until then (noop, not idempotent: taken again while it exists).
        from("file:{{cragent.callbacks.spool-dir}}?noop=true&idempotent=false&readLock=none&recursive=false"
                + "&filter=#callbackSpool&sortBy=file:name&initialDelay=0&delay={{cragent.callbacks.poll-millis}}")
                .routeId("callback-delivery").routeConfigurationId("callbacks")
                .bean("callbackSender", "deliver");
    }
}
