package io.cragent.logging;

import org.apache.camel.impl.engine.DefaultTracer;
import org.apache.camel.support.processor.DefaultExchangeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's tracer (found in the registry, bound by each process's configuration class; {@code camel.main.tracing}
 * switches it on), which prints headers, properties and bodies as they are: every line passes through the
 * {@link Redactor} and goes to one logger, {@code org.apache.camel.Tracing}, instead of a logger per route line.
 */
public final class RedactingTracer extends DefaultTracer {
    private static final Logger TRACE = LoggerFactory.getLogger("org.apache.camel.Tracing");

    public RedactingTracer() {
        DefaultExchangeFormatter formatter = new DefaultExchangeFormatter();
        formatter.setShowExchangeId(true);
        formatter.setShowHeaders(true);
        formatter.setShowProperties(true);
        formatter.setShowBodyType(true);
        formatter.setShowBody(true);
        formatter.setStyle(DefaultExchangeFormatter.OutputStyle.Tab);
        formatter.setMaxChars(10_000);
        setExchangeFormatter(formatter);
    }

    @Override
    protected void dumpTrace(String out, Object node) {
        if (TRACE.isInfoEnabled()) {
            TRACE.info(Redactor.redact(out));
        }
    }
}
