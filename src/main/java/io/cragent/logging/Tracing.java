package io.cragent.logging;

import org.apache.camel.impl.engine.DefaultTracer;
import org.apache.camel.spi.Tracer;

/**
 * The tracer Camel finds in the registry (bound by each process's configuration class): Camel's own, which prints
 * headers and bodies as they are, with a formatter that redacts. {@code camel.main.tracing} switches it on.
 */
public final class Tracing {
    private Tracing() {
    }

    public static Tracer redactingTracer() {
        DefaultTracer tracer = new DefaultTracer();
        tracer.setExchangeFormatter(RedactingExchangeFormatter.forTracing());
        return tracer;
    }
}
