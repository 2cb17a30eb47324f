package io.cragent.logging;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExchangeFormatter;
import org.apache.camel.support.processor.DefaultExchangeFormatter;

/** Camel's exchange formatter (as the tracer uses it), its output passed through the {@link Redactor}. */
public final class RedactingExchangeFormatter implements ExchangeFormatter {
    private final ExchangeFormatter formatter;

    public RedactingExchangeFormatter(ExchangeFormatter formatter) {
        this.formatter = formatter;
    }

    /** What Camel's tracer shows by default: route, node, headers, body type and body (cut at 10 000 characters). */
    public static RedactingExchangeFormatter forTracing() {
        DefaultExchangeFormatter formatter = new DefaultExchangeFormatter();
        formatter.setShowExchangeId(true);
        formatter.setShowHeaders(true);
        formatter.setShowBodyType(true);
        formatter.setShowBody(true);
        formatter.setShowProperties(true);
        formatter.setStyle(DefaultExchangeFormatter.OutputStyle.Tab);
        formatter.setMaxChars(10_000);
        formatter.setMultiline(false);
        return new RedactingExchangeFormatter(formatter);
    }

    @Override
    public String format(Exchange exchange) {
        return Redactor.redact(formatter.format(exchange));
    }
}
