package io.cragent.agent.routes;

import io.cragent.agent.AgentRequestReader;
import io.cragent.agent.jobs.JobKind;
import io.cragent.agent.jobs.ScanRequestReader;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.http.ErrorBodyShape;
import io.cragent.http.ServerErrorsAsJson;
import org.apache.camel.builder.RouteBuilder;

import java.util.List;

/**
 * The agent's HTTP API: each endpoint names an operation and hands it to {@code registry-request}, which reads the
 * request and routes it to the route set of the credential's registry type.
 */
public class AgentApiRoutes extends RouteBuilder {
    private static final List<String> KNOWN = List.of("/healthcheck", "/systemcheck", "/validate-credentials",
            "/get-state-identifier", "/list", "/list-paginated", "/list-with-metadata", "/image-metadata", "/scan",
            "/discover", "/health/live", "/health/ready", "/metrics");

    @Override
    public void configure() throws Exception {
        ServerErrorsAsJson.install(getCamelContext(), ErrorBodyShape.AGENT);
        // Every request's raw path is checked before its route runs: the server routes the normalised one.
        interceptFrom("platform-http:*").process("requestTarget");

        from("platform-http:/healthcheck?httpMethodRestrict=GET").routeId("api-healthcheck")
                .setBody(method("agentInfo", "health"))
                .process("jsonResponder");

        operation("/systemcheck", "check-access");
        operation("/validate-credentials", "check-access");
        operation("/get-state-identifier", "state-identifier");

        from("platform-http:/list?httpMethodRestrict=GET,POST").routeId("api-list")
                .choice()
                    .when(simple("{{cragent.agent.disable-list-repos}}"))
                        .setBody(constant(java.util.List.of()))
                        .process("jsonResponder")
                    .otherwise()
                        .setProperty(AgentRequestReader.OPERATION, constant("list-repositories"))
                        .to("direct:registry-request")
                .end();

        operationOnPath("/list", "list-tags");
        operationOnPath("/list-paginated", "list-tags-page");
        operationOnPath("/list-with-metadata", "list-tags-with-metadata");
        operationOnPath("/image-metadata", "image-metadata");

        // Asynchronous scans (ScanJobRoutes): 202 with a job id, results by callback and by GET /scan/<jobId>.
        from("platform-http:/scan?httpMethodRestrict=POST").routeId("api-scan")
                .setProperty(ScanRequestReader.KIND, constant(JobKind.SCAN))
                .to("direct:job-ingress");
        from("platform-http:/discover?httpMethodRestrict=POST").routeId("api-discover")
                .setProperty(ScanRequestReader.KIND, constant(JobKind.DISCOVER))
                .to("direct:job-ingress");
        from("platform-http:/scan/{jobId}?httpMethodRestrict=GET").routeId("api-scan-status")
                .bean("jobSteps", "status")
                .process("jsonResponder");

        // Last, so that it only sees what no endpoint above took: a JSON 404, or 405 for a known path.
        from("platform-http:/*").routeId("api-unrouted")
                .process(exchange -> {
                    String path = exchange.getMessage().getHeader(org.apache.camel.Exchange.HTTP_PATH, String.class);
                    boolean known = path != null && KNOWN.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
                    throw known
                            ? new AgentException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on " + path)
                            : new AgentException(ErrorCode.NOT_FOUND, "no such endpoint");
                });

        from("direct:registry-request").routeId("registry-request")
                .process("agentRequestReader")
                .toD("direct:type-${exchangeProperty." + AgentRequestReader.REGISTRY_TYPE + "}")
                .process("jsonResponder");
    }

    private void operation(String path, String operation) {
        from("platform-http:" + path + "?httpMethodRestrict=GET,POST").routeId("api" + path.replace('/', '-'))
                .setProperty(AgentRequestReader.OPERATION, constant(operation))
                .to("direct:registry-request");
    }

    /** {@code <path>/<repository or reference>}: the remainder may hold slashes, encoded or not. */
    private void operationOnPath(String path, String operation) {
        from("platform-http:" + path + "/*?httpMethodRestrict=GET,POST").routeId("api" + path.replace('/', '-') + "-item")
                .setProperty(AgentRequestReader.OPERATION, constant(operation))
                .setProperty(AgentRequestReader.PATH_PREFIX, constant(path))
                .to("direct:registry-request");
    }
}
