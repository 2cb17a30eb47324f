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
 * process logs at info. Run it with {@code bash bench/broker-bench.sh}.
 */
public final class BrokerBench {
    private static final String BROKER = "/broker/" + SnykBroker.TOKEN;
    private static final int CONCURRENCY = 8;
    private static final Map<String, String> SUBSTITUTED = Map.of("authorization", "${CR_CREDENTIALS}",
            "x-broker-var-sub", "authorization");

    private record Result(int requests, int errors, double seconds, long bytes, double[] latenciesMs) {
        double percentile(double p) {
            double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    public static void main(String[] args) throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        int small = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int large = args.length > 1 ? Integer.parseInt(args[1]) : 300;
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
        List<String> rows = new ArrayList<>();
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
                for (String client : List.of("snyk-broker 5.22.14 client", "cr-agent client")) {
                    Result tags = withClient(client, server, javaHome, agentUrl, credentials,
                            () -> run(server, "/list/bench%2Fapp", SUBSTITUTED, small));
                    rows.add(row(client, "agent: GET /list/<repo> (JSON, registry call)", tags));
                    Result blobs = withClient(client, server, javaHome, originUrl, credentials,
                            () -> run(server, "/list", Map.of(), large));
                    rows.add(row(client, "static origin: 1 MiB bodies", blobs));
                }
            }
        } finally {
            origin.stop(0);
        }
        System.out.println("| client | workload (8 concurrent) | requests | errors | req/s | MB/s | p50 ms | p99 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    private interface Workload {
        Result run() throws Exception;
    }

    private static Result withClient(String client, SnykBroker server, Path javaHome, String agentUrl,
                                     String credentials, Workload workload) throws Exception {
        awaitNoClient(server);
        if (client.startsWith("snyk")) {
            try (SnykBroker classic = SnykBroker.client(server.url(), agentUrl, credentials, Map.of("LOG_LEVEL", "info"))) {
                server.awaitClientConnected(Duration.ofSeconds(30));
                return workload.run();
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
        try (RunningJar ours = RunningJar.start(javaHome, env, port, "client")) {
            server.awaitClientConnected(Duration.ofSeconds(30));
            return workload.run();
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

    /** Warm-up of 100 requests, then {@code count} requests, 8 at a time; latency per request. */
    private static Result run(SnykBroker server, String path, Map<String, String> headers, int count) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        load(http, server, path, headers, 100);
        return load(http, server, path, headers, count);
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
        return new Result(count, errors.get(), seconds, bytes.get(), latencies);
    }

    private static String row(String client, String workload, Result r) {
        return String.format("| %s | %s | %d | %d | %.0f | %.1f | %.1f | %.1f |", client, workload, r.requests(),
                r.errors(), r.requests() / r.seconds(), r.bytes() / 1e6 / r.seconds(), r.percentile(0.50),
                r.percentile(0.99));
    }
}
