package io.cragent.metrics;

import org.apache.camel.builder.RouteBuilder;

/** Liveness, readiness and the Prometheus scrape, on the process's own HTTP port (either process). */
public class HealthRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/health/live?httpMethodRestrict=GET").routeId("health-live")
                .bean("healthEndpoints", "live");
        from("platform-http:/health/ready?httpMethodRestrict=GET").routeId("health-ready")
                .bean("healthEndpoints", "ready");
        from("platform-http:/metrics?httpMethodRestrict=GET").routeId("metrics-scrape")
                .bean("healthEndpoints", "metrics");
    }
}
