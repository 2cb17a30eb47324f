package io.cragent.registry;

import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.http.HttpSettings;
import io.cragent.registry.manifest.Platform;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FaultyRegistry;
import io.cragent.testsupport.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Faults a real registry will not produce on demand, from a fake registry on loopback: they are retried, or
 * reported with the right code, never a hang and never a wrong result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryClientFaultsTest {
    private FaultyRegistry fake;
    private RegistryClient client;

    @BeforeAll
    void start() {
        fake = FaultyRegistry.start("fault-user", "fault-pass");
        client = clients(settings(Duration.ofSeconds(60))).forCredentials(
                RegistryCredentials.basic(RegistryType.NEXUS_CR, "fault-user", "fault-pass", fake.hostPort()),
                RegistryEndpoint.PathMeaning.NAMESPACE);
    }

    @AfterAll
    void stop() {
        fake.close();
    }

    @BeforeEach
    void clean() {
        fake.clearFaults();
        fake.clearRequests();
    }

    private RegistrySettings settings(Duration maxRetryAfter) {
        RegistrySettings d = RegistrySettings.defaults();
        HttpSettings http = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(2), 3,
                Duration.ofMillis(20), maxRetryAfter, 10, null);
        return new RegistrySettings(http, d.pageSize(), d.pageCap(), d.manifestCap(), d.configCap(), d.maxIndexDepth(),
                Set.of(fake.hostPort()), true, d.realmHosts());
    }

    private static RegistryClients clients(RegistrySettings settings) {
        return new RegistryClients(settings);
    }

    private ResolvedImage resolve() {
        return client.resolve(new ImageReference(FaultyRegistry.REPOSITORY, FaultyRegistry.TAG, null), Platform.LINUX_AMD64);
    }

    @Test
    void rateLimitIsWaitedOutHonouringRetryAfter() {
        fake.throttle(fake.manifestPath(), 2);
        long start = System.nanoTime();
        ResolvedImage image = resolve();
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(image.manifest().digest()).isEqualTo(fake.manifestDigest());
        assertThat(fake.requestCount(fake.manifestPath())).isEqualTo(3);
        assertThat(elapsedMillis).as("two Retry-After: 1 waits").isGreaterThanOrEqualTo(1900);
    }

    @Test
    void retryAfterLongerThanAllowedFailsAsRateLimited() {
        RegistryClient impatient = clients(settings(Duration.ZERO)).forCredentials(
                RegistryCredentials.basic(RegistryType.NEXUS_CR, "fault-user", "fault-pass", fake.hostPort()),
                RegistryEndpoint.PathMeaning.NAMESPACE);
        fake.throttle(fake.manifestPath(), 1);
        assertThatThrownBy(() -> impatient.headManifest(FaultyRegistry.REPOSITORY, FaultyRegistry.TAG))
                .isInstanceOf(AgentException.class)
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.RATE_LIMITED))
                .satisfies(e -> assertThat(((AgentException) e).retryAfter()).isEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() {
        fake.serverError(fake.configBlobPath(), 2);
        assertThat(resolve().config().platform()).isEqualTo(Platform.LINUX_AMD64);
        assertThat(fake.requestCount(fake.configBlobPath())).isEqualTo(3);
    }

    @Test
    void persistentServerErrorsAreReportedAfterTheRetries() {
        fake.serverError(fake.configBlobPath(), 50);
        assertThatThrownBy(this::resolve)
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.REGISTRY_UNAVAILABLE));
        assertThat(fake.requestCount(fake.configBlobPath())).isEqualTo(4);
    }

    @Test
    void truncatedBodiesAreRetriedAndNeverAccepted() {
        fake.truncate(fake.configBlobPath(), 1);
        ResolvedImage image = resolve();
        assertThat(image.config().diffIds()).hasSize(1);
    }

    @Test
    void blobRedirectToAnotherHostGoesWithoutAuthorization() {
        fake.redirectToOtherOrigin(fake.configBlobPath());
        ResolvedImage image = resolve();
        assertThat(image.image().config().digest()).isEqualTo(fake.configDigest());
        assertThat(fake.otherOriginRequests()).isNotEmpty().noneMatch(RecordedRequest::hadAuthorization);
        assertThat(fake.requests()).filteredOn(r -> r.path().equals(fake.configBlobPath()))
                .allMatch(RecordedRequest::hadAuthorization);
    }

    @Test
    void aBodyThatStallsFailsAfterTheIdleTimeoutInsteadOfHanging() throws Exception {
        HttpServer stalling = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        CountDownLatch release = new CountDownLatch(1);
        stalling.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/v2/")) {
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 100);
                exchange.getResponseBody().write("{\"tags\":[".getBytes());
                exchange.getResponseBody().flush();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.close();
        });
        stalling.setExecutor(Executors.newCachedThreadPool());
        stalling.start();
        try {
            String host = "127.0.0.1:" + stalling.getAddress().getPort();
            RegistrySettings d = settings(Duration.ZERO);
            HttpSettings http = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(500), 1,
                    Duration.ofMillis(10), Duration.ZERO, 10, null);
            RegistryClient impatient = new RegistryClients(new RegistrySettings(http, 100, 10, 1024, 1024, 4,
                    Set.of(host), true, Set.of())).forCredentials(
                    RegistryCredentials.basic(RegistryType.ACR, "u", "p", host), RegistryEndpoint.PathMeaning.NAMESPACE);
            long start = System.nanoTime();
            assertThatThrownBy(() -> impatient.listTags("stalled/app"))
                    .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.REGISTRY_UNAVAILABLE))
                    .hasMessageContaining("broke off 2 times");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            release.countDown();
            stalling.stop(0);
        }
    }

    @Test
    void nextPageLinksAreFollowedOnlyWithinTheRegistry() throws Exception {
        List<String> served = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer paging = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        paging.createContext("/", exchange -> {
            String target = exchange.getRequestURI().toString();
            served.add(target);
            String body = "{}";
            if (target.startsWith("/v2/_catalog") && !target.contains("last=")) {
                body = "{\"repositories\":[\"a\"]}";
                exchange.getResponseHeaders().add("Link", "</v2/_catalog?last=a&n=1>; rel=\"next\"");
            } else if (target.startsWith("/v2/_catalog")) {
                body = "{\"repositories\":[\"b\"]}";
                exchange.getResponseHeaders().add("Link", "<http://127.0.0.2:9/v2/_catalog?last=b&n=1>; rel=\"next\"");
            }
            byte[] bytes = body.getBytes();
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        paging.start();
        try {
            String host = "127.0.0.1:" + paging.getAddress().getPort();
            RegistrySettings d = settings(Duration.ZERO);
            RegistryClient lister = new RegistryClients(new RegistrySettings(d.http(), 1, 10, 1024, 1024, 4,
                    Set.of(host), true, Set.of())).forCredentials(
                    RegistryCredentials.basic(RegistryType.ACR, "u", "p", host), RegistryEndpoint.PathMeaning.NAMESPACE);
            assertThat(lister.listRepositories().names()).containsExactly("a", "b");
            assertThat(served).filteredOn(t -> t.startsWith("/v2/_catalog")).hasSize(2);
        } finally {
            paging.stop(0);
        }
    }

    @Test
    void contentNotMatchingItsDigestIsRejected() {
        fake.corrupt(fake.manifestByDigestPath());
        assertThatThrownBy(this::resolve)
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.INTEGRITY_ERROR));
        fake.clearFaults();
        fake.corrupt(fake.configBlobPath());
        assertThatThrownBy(this::resolve)
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.INTEGRITY_ERROR));
    }

    @Test
    void malformedManifestsAreRefusedWithAClearCode() {
        String oci = "application/vnd.oci.image.manifest.v1+json";
        String index = "application/vnd.oci.image.index.v1+json";
        String image = new String(fake.manifestBytes(), StandardCharsets.UTF_8);
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("not-json", new Object[] {oci, "{\"schemaVersion\": 2, \"layers\": [", ErrorCode.MANIFEST_INVALID});
        cases.put("array", new Object[] {oci, "[1, 2, 3]", ErrorCode.MANIFEST_INVALID});
        cases.put("deep", new Object[] {oci, "{\"schemaVersion\":2,\"layers\":" + "[".repeat(100_000), ErrorCode.MANIFEST_INVALID});
        cases.put("nulls", new Object[] {oci, "{\"schemaVersion\":2,\"mediaType\":\"" + oci + "\",\"config\":null,\"layers\":null}",
                ErrorCode.MANIFEST_INVALID});
        cases.put("wrong-kinds", new Object[] {oci, "{\"schemaVersion\":\"2\",\"config\":[],\"layers\":{\"a\":1}}",
                ErrorCode.MANIFEST_INVALID});
        cases.put("bad-layer", new Object[] {oci, image.replaceFirst("sha256:[0-9a-f]{6}", "sha256:../../"),
                ErrorCode.MANIFEST_INVALID});
        cases.put("image-as-index", new Object[] {index, image + "\n", ErrorCode.MANIFEST_INVALID});
        cases.put("html", new Object[] {"text/html", "<html><body>login</body></html>", ErrorCode.MANIFEST_INVALID});
        cases.put("negative-size", new Object[] {oci, image.replaceFirst("\"size\":", "\"size\":-"), ErrorCode.MANIFEST_INVALID});
        cases.put("huge", new Object[] {oci, "{\"schemaVersion\":2,\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}",
                ErrorCode.MANIFEST_INVALID});
        // Indexes nested past the limit: content addressing makes a true loop impossible, so a chain it is.
        String next = fake.manifestDigest();
        int size = fake.manifestBytes().length;
        for (int level = 0; level < 6; level++) {
            String body = "{\"schemaVersion\":2,\"mediaType\":\"" + index + "\",\"manifests\":[{\"mediaType\":\""
                    + (level == 0 ? oci : index) + "\",\"digest\":\"" + next + "\",\"size\":" + size
                    + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
            next = fake.serveManifest("chain" + level, index, body.getBytes(StandardCharsets.UTF_8));
            size = body.length();
        }
        cases.put("chain5", null);
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            ErrorCode expected = c.getValue() == null ? ErrorCode.MANIFEST_INVALID : (ErrorCode) c.getValue()[2];
            if (c.getValue() != null) {
                fake.serveManifest(c.getKey(), (String) c.getValue()[0], ((String) c.getValue()[1]).getBytes(StandardCharsets.UTF_8));
            }
            assertThatThrownBy(() -> client.resolve(new ImageReference(FaultyRegistry.REPOSITORY, c.getKey(), null),
                    Platform.LINUX_AMD64)).as(c.getKey()).isInstanceOf(AgentException.class)
                    .satisfies(e -> assertThat(((AgentException) e).code()).as(c.getKey() + ": " + e.getMessage())
                            .isEqualTo(expected));
        }
        assertThat(client.resolve(new ImageReference(FaultyRegistry.REPOSITORY, "chain2", null), Platform.LINUX_AMD64)
                .manifest().digest()).as("three levels are within the limit").isEqualTo(fake.manifestDigest());
    }

    @Test
    void registryAddressesThatInviteSsrfAreRefusedBeforeAnyCall() {
        RegistryClients strict = clients(new RegistrySettings(settings(Duration.ZERO).http(), 100, 10, 1024, 1024, 4,
                Set.of(), false, Set.of()));
        for (String base : new String[]{"169.254.169.254", "[fe80::1]:5000", "0.0.0.0:5000", "127.0.0.1:5000",
                "localhost:5000", "http://" + fake.hostPort(), "user:pw@registry.example.com", "bad host",
                "[fd00:ec2::254]", "[::ffff:169.254.169.254]", "[64:ff9b::a9fe:a9fe]", "2852039166", "0xa9fea9fe",
                "0x7f.1", "0177.0.0.1", "127.1", "registry.example.com/../x", "registry.example.com/./x"}) {
            assertThatThrownBy(() -> strict.forCredentials(RegistryCredentials.basic(RegistryType.ACR, "u", "p", base),
                    RegistryEndpoint.PathMeaning.NAMESPACE)).as(base)
                    .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.REGISTRY_NOT_ALLOWED));
        }
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void anUntrustedCertificateIsATlsErrorWithAHint() {
        try (DistributionRegistry tls = DistributionRegistry.start(DistributionRegistry.Mode.TLS_HTPASSWD)) {
            RegistryClient untrusting = clients(settings(Duration.ZERO)).forCredentials(
                    RegistryCredentials.basic(RegistryType.ACR, tls.username(), tls.password(), tls.hostPort()),
                    RegistryEndpoint.PathMeaning.NAMESPACE);
            assertThatThrownBy(untrusting::checkAccess)
                    .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.TLS_ERROR))
                    .hasMessageContaining("CA_CERT");
        }
    }
}
