package io.cragent.bench;

import com.sun.net.httpserver.HttpServer;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.RunningJar;
import io.cragent.testsupport.SnykBroker;
import io.cragent.testsupport.TestImages;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Relay throughput and latency of our broker client ({@code java -jar cr-agent.jar client}) against the real
 * snyk-broker 5.22.14 classic client, in one run, behind the same real snyk-broker server, 8 requests at a time:
 * small JSON answers from our agent (jar) and the CNCF registry, and 1 MiB bodies from a static origin. Every
 * process logs at info; rounds alternate the two clients. Run it with {@code bash bench/broker-bench.sh}.
 */
public final class BrokerBench {
    private static final String BROKER = "/broker/" + SnykBroker.TOKEN;
    private static final int CONCURRENCY = 8;
    private static final Map<String, String> SUBSTITUTED = Map.of("authorization", "${CR_CREDENTIALS}",
            "x-broker-var-sub", "authorization");

    private record Result(int requests, int errors, double seconds, long bytes, double[] latenciesMs,
                          double clientCpuSeconds, double serverCpuSeconds) {
        Result plus(Result other) {
            if (other == null) {
                return this;
            }
            double[] all = Arrays.copyOf(latenciesMs, latenciesMs.length + other.latenciesMs.length);
            System.arraycopy(other.latenciesMs, 0, all, latenciesMs.length, other.latenciesMs.length);
            return new Result(requests + other.requests, errors + other.errors, seconds + other.seconds,
                    bytes + other.bytes, all, clientCpuSeconds + other.clientCpuSeconds,
                    serverCpuSeconds + other.serverCpuSeconds);
        }

        Result withCpu(double client, double server) {
            return new Result(requests, errors, seconds, bytes, latenciesMs, client, server);
        }

        double percentile(double p) {
            double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    public static void main(String[] args) throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        int small = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int large = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Duration warmUp = Duration.ofSeconds(args.length > 3 ? Integer.parseInt(args[3]) : 60);
        byte[] mebibyte = new byte[1024 * 1024];
        new java.util.Random(7).nextBytes(mebibyte);
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        origin.setExecutor(Executors.newFixedThreadPool(16));
        origin.createContext("/list", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, mebibyte.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(mebibyte);
            }
        });
        origin.start();
        String originUrl = "http://127.0.0.1:" + origin.getAddress().getPort();
        Map<String, Result> results = new java.util.LinkedHashMap<>();
        List<String> clients = List.of("snyk-broker 5.22.14 client", "cr-agent client");
        try (DistributionRegistry registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
             FakeSaas saas = new FakeSaas();
             SnykBroker server = SnykBroker.server(saas.origin(), Map.of("LOG_LEVEL", "info"))) {
            TestImages.pushImage(registry, "bench/app", "1.0", TestImages.Format.OCI);
            String credentials = Base64.getEncoder().encodeToString(("{\"type\":\"docker-hub\", \"username\":\""
                    + registry.username() + "\", \"password\":\"" + registry.password() + "\", \"registryBase\":\""
                    + registry.hostPort() + "\"}\n").getBytes(StandardCharsets.UTF_8));
            int agentPort = FreePorts.next();
            Map<String, String> agentEnv = Map.of("SNYK_PORT", String.valueOf(agentPort), "CR_AGENT_HOST", "127.0.0.1",
                    "CR_AGENT_ALLOW_LOOPBACK_REGISTRY", "true", "CR_AGENT_INSECURE_REGISTRIES", registry.hostPort());
            String agentUrl = "http://127.0.0.1:" + agentPort;
            try (RunningJar agent = RunningJar.start(javaHome, agentEnv, agentPort)) {
                // Rounds alternate the clients, so that load from elsewhere on the machine falls on both alike.
                for (int round = 0; round < rounds; round++) {
                    for (String client : clients) {
                        Result tags = withClient(client, server, javaHome, agentUrl, credentials,
                                "/list/bench%2Fapp", SUBSTITUTED, small, warmUp);
                        results.merge(client + "|agent: GET /list/<repo> (JSON, registry call)", tags, Result::plus);
                        Result blobs = withClient(client, server, javaHome, originUrl, credentials,
                                "/list", Map.of(), large, warmUp);
                        results.merge(client + "|static origin: 1 MiB bodies", blobs, Result::plus);
                    }
                }
            }
        } finally {
            origin.stop(0);
        }
        System.out.println("| client | workload (8 concurrent, " + rounds + " alternating rounds, each after a "
                + warmUp.toSeconds() + " s warm-up) | requests | errors"
                + " | req/s | MB/s | p50 ms | p99 ms | client CPU ms/req | server CPU ms/req |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        results.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(
                        (String key) -> key.substring(key.indexOf('|'))).thenComparing(key -> key)))
                .forEach(e -> System.out.println(row(e.getKey().substring(0, e.getKey().indexOf('|')),
                        e.getKey().substring(e.getKey().indexOf('|') + 1), e.getValue())));
        System.exit(0);
    }

    /**
     * A warm-up of at least {@code count} requests and at least {@code warmUp} of load, then {@code count} requests,
     * 8 at a time, with the CPU time the client and the server processes spent on them. Both clients are long-running
     * daemons, so what counts is their steady state: a fresh JVM still compiles its relay path for the first ~50 s
     * of load here, and a warm-up of only as many requests as were measured (200 MiB) measured the compiler too.
     */
    private static Result measured(ProcessHandle client, SnykBroker server, String path, Map<String, String> headers,
                                   int count, Duration warmUp) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long warm = System.nanoTime() + warmUp.toNanos();
        do {
            load(http, server, path, headers, count);
        } while (System.nanoTime() < warm);
        double clientBefore = cpu(client);
        double serverBefore = cpu(server.handle());
        Result result = load(http, server, path, headers, count);
        return result.withCpu(cpu(client) - clientBefore, cpu(server.handle()) - serverBefore);
    }

    private static double cpu(ProcessHandle process) {
        double own = process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        return own + process.descendants().mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9)
                .orElse(0.0)).sum();
    }

    private static Result withClient(String client, SnykBroker server, Path javaHome, String agentUrl,
                                     String credentials, String path, Map<String, String> headers, int count,
                                     Duration warmUp)
            throws Exception {
        awaitNoClient(server);
        if (client.startsWith("snyk")) {
            try (SnykBroker classic = SnykBroker.client(server.url(), agentUrl, credentials, Map.of("LOG_LEVEL", "info"))) {
                server.awaitClientConnected(Duration.ofSeconds(30));
                return measured(classic.handle(), server, path, headers, count, warmUp);
            }
        }
        int port = FreePorts.next();
        Map<String, String> env = new HashMap<>();
        env.put("BROKER_TOKEN", SnykBroker.TOKEN);
        env.put("BROKER_SERVER_URL", server.url());
        env.put("BROKER_CLIENT_URL", "http://127.0.0.1:" + port);
        env.put("PORT", String.valueOf(port));
        env.put("CR_CLIENT_HOST", "127.0.0.1");
        env.put("CR_AGENT_URL", agentUrl);
        env.put("CR_CREDENTIALS", credentials);
        String javaOptions = System.getenv("BENCH_CLIENT_JAVA_OPTS");
        if (javaOptions != null && !javaOptions.isBlank()) {
            env.put("JAVA_TOOL_OPTIONS", javaOptions);
        }
        try (RunningJar ours = RunningJar.start(javaHome, env, port, "client")) {
            server.awaitClientConnected(Duration.ofSeconds(30));
            return measured(ours.handle(), server, path, headers, count, warmUp);
        }
    }

    /** The previous client has gone, so the server routes to the one under test only. */
    private static void awaitNoClient(SnykBroker server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline
                && server.call("GET", "/connection-status/" + SnykBroker.TOKEN, Map.of(), null).statusCode() == 200) {
            Thread.sleep(200);
        }
    }

    private static Result load(HttpClient http, SnykBroker server, String path, Map<String, String> headers, int count)
            throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.url() + BROKER + path))
                .timeout(Duration.ofSeconds(120));
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        double[] latencies = new double[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < CONCURRENCY; w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                        bytes.addAndGet(response.body().length);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies[i] = (System.nanoTime() - t0) / 1e6;
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(count, errors.get(), seconds, bytes.get(), latencies, 0, 0);
    }

    private static String row(String client, String workload, Result r) {
        return String.format("| %s | %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %.2f | %.2f |", client, workload,
                r.requests(), r.errors(), r.requests() / r.seconds(), r.bytes() / 1e6 / r.seconds(), r.percentile(0.50),
                r.percentile(0.99), r.clientCpuSeconds() * 1000 / r.requests(), r.serverCpuSeconds() * 1000 / r.requests());
    }
}
