package io.cragent.metrics;

import io.cragent.registry.RegistryObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The process's meters in one Prometheus registry (bound as {@code metricsRegistry}, the name camel-micrometer's
 * endpoints look for). Labels are bounded: registry type, outcome, HTTP status; never a repository, host or secret.
 */
public final class Metrics implements RegistryObserver {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter bytesPulled;
    private final Counter callbackRetries;

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        bytesPulled = Counter.builder("cragent.registry.pulled.bytes").baseUnit("bytes")
                .description("Layer bytes read from registries").register(registry);
        callbackRetries = Counter.builder("cragent.callback.retries")
                .description("Callback deliveries that failed and will be tried again").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** One image scanned (outcome success) or failed (outcome: its error code, a fixed set). */
    public void scanned(String registryType, String outcome, Duration took) {
        Counter.builder("cragent.scans").description("Images scanned, by registry type and outcome")
                .tag("type", registryType).tag("outcome", outcome).register(registry).increment();
        Timer.builder("cragent.scan.duration").description("Time to pull and scan one image")
                .tag("type", registryType).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry).record(took);
    }

    @Override
    public void errorStatus(int status) {
        Counter.builder("cragent.registry.errors").description("Registry answers that became errors, by HTTP status")
                .tag("status", Integer.toString(status)).register(registry).increment();
    }

    @Override
    public void bytesPulled(long bytes) {
        bytesPulled.increment(bytes);
    }

    public void callbackRetry() {
        callbackRetries.increment();
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** A counter kept elsewhere (a monotonic count read at scrape time). */
    public <T> void counter(String name, String description, T owner, ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, owner, count).description(description).register(registry);
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }
}
