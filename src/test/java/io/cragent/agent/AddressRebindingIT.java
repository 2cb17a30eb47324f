package io.cragent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.FreePorts;
import io.cragent.testsupport.RunningJar;
import io.cragent.testsupport.TestImages;
import io.cragent.testsupport.TestPki;
import io.cragent.testsupport.VendorFake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS rebinding against the packaged agent. The agent's JVM resolves names only from a hosts file that the test
 * rewrites while it runs ({@code -Djdk.net.hosts.file}, the address cache off), so a name can point at the real
 * registry for one request and at the cloud metadata address for the next, or in the middle of one. Whatever the
 * hop, a name pointing there fails the request with {@code 400 REGISTRY_NOT_ALLOWED} naming the host and the
 * address, at once (the connect timeout is 10 s and retries would wait 1 + 3 + 9 s).
 */
class AddressRebindingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGISTRY = "registry.rebind.test";
    private static final String EVIL_REGISTRY = "evil.test";
    private static final String EVIL_REALM = "auth.evil.test";
    private static final String LOOPBACK = "127.0.0.1";
    private static final String METADATA = "169.254.169.254";
    private static final Duration QUICK = Duration.ofSeconds(3);

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicBoolean REBIND_AT_TOKEN_REQUEST = new AtomicBoolean();
    private static final AtomicInteger TOKEN_REQUESTS = new AtomicInteger();
    private static Path dir;
    private static Path hosts;
    private static VendorFake realm;
    private static DistributionRegistry registry;
    private static DistributionRegistry evil;
    private static RunningJar agent;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("cr-rebind-");
        hosts = dir.resolve("hosts");
        resolve(REGISTRY, LOOPBACK);
        TestPki pki = TestPki.withServerNames(REGISTRY, EVIL_REGISTRY);
        realm = VendorFake.start(pki);
        // localhost: resolvable by skopeo, which pushes through the same realm; the agent trusts it by CR_AGENT_REALM_HOSTS.
        registry = DistributionRegistry.startBehindRealm("https://localhost:" + URI.create(realm.baseUrl()).getPort()
                + "/token", DistributionRegistry.SERVICE, pki);
        realm.on("/token", request -> {
            TOKEN_REQUESTS.incrementAndGet();
            if (!(DistributionRegistry.ADMIN_USER + ":" + DistributionRegistry.ADMIN_PASSWORD).equals(request.basic())) {
                return VendorFake.Reply.status(401);
            }
            if (REBIND_AT_TOKEN_REQUEST.get()) {
                resolve(REGISTRY, METADATA); // the registry call after this token goes to the metadata service
            }
            return VendorFake.Reply.json("{\"token\":\"" + registry.tokenIssuer().mintFor(DistributionRegistry.ADMIN_USER,
                    request.queries("scope")) + "\",\"expires_in\":300}");
        });
        TestImages.pushImage(registry, "rebind/first", "1.0", TestImages.Format.OCI);
        TestImages.pushImage(registry, "rebind/second", "2.0", TestImages.Format.OCI);
        // A registry on an attacker's domain whose realm, on the same domain, resolves to the metadata service.
        evil = DistributionRegistry.startBehindRealm("https://" + EVIL_REALM + "/token", DistributionRegistry.SERVICE, pki);

        port = FreePorts.next();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SNYK_PORT", String.valueOf(port));
        env.put("CR_AGENT_HOST", LOOPBACK);
        env.put("CR_AGENT_ALLOW_LOOPBACK_REGISTRY", "true");
        env.put("CA_CERT", registry.caCertPath().toString());
        env.put("CR_AGENT_REALM_HOSTS", "localhost");
        env.put("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts + " -Dsun.net.inetaddr.ttl=0"
                + " -Dsun.net.inetaddr.negative.ttl=0");
        agent = RunningJar.start(Path.of(System.getProperty("java.home")), env, port);
    }

    @AfterAll
    static void stop() throws Exception {
        try (RunningJar a = agent; DistributionRegistry e = evil; DistributionRegistry r = registry; VendorFake v = realm) {
            REBIND_AT_TOKEN_REQUEST.set(false);
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(file -> file.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aRegistryNameThatRebindsIsRefusedOnTheNextRequestAndWithinARequestAlreadyAccepted() throws Exception {
        String creds = credentials(REGISTRY + ":" + registry.port());
        resolve(REGISTRY, LOOPBACK);
        HttpResponse<String> served = get("/list/rebind/first", creds).value();
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(JSON.readTree(served.body()).toString()).isEqualTo("[\"1.0\"]");

        resolve(REGISTRY, METADATA);
        assertRefused(get("/list/rebind/first", creds), REGISTRY);

        // Accepted while the name points at the registry; it flips when the agent fetches its token for the new
        // repository, so the registry call that follows the token is the hop that must be refused.
        resolve(REGISTRY, LOOPBACK);
        int tokensBefore = TOKEN_REQUESTS.get();
        REBIND_AT_TOKEN_REQUEST.set(true);
        try {
            assertRefused(get("/list/rebind/second", creds), REGISTRY);
        } finally {
            REBIND_AT_TOKEN_REQUEST.set(false);
        }
        assertThat(TOKEN_REQUESTS.get()).as("the name flipped inside the accepted request").isGreaterThan(tokensBefore);

        resolve(REGISTRY, LOOPBACK);
        HttpResponse<String> again = get("/list/rebind/second", creds).value();
        assertThat(again.statusCode()).as("back at the registry: " + again.body()).isEqualTo(200);
        assertThat(agent.output()).as("agent log").doesNotContain(DistributionRegistry.ADMIN_PASSWORD);
    }

    @Test
    void aTokenRealmOnTheRegistrysOwnDomainThatResolvesToTheMetadataServiceIsRefused() throws Exception {
        resolve(REGISTRY, LOOPBACK);
        assertRefused(get("/list/some/app", credentials(EVIL_REGISTRY + ":" + evil.port())), EVIL_REALM);
        assertThat(evil.log()).as("the registry's challenge was the hop before").contains("/v2/");
    }

    private static void assertRefused(Timed<HttpResponse<String>> response, String host) throws IOException {
        HttpResponse<String> answer = response.value();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("REGISTRY_NOT_ALLOWED");
        assertThat(error.path("message").asText()).contains(host).contains(METADATA);
        assertThat(response.took()).as("refused at once, not after a connect timeout or retries").isLessThan(QUICK);
    }

    private record Timed<T>(T value, Duration took) {
    }

    private static Timed<HttpResponse<String>> get(String path, String creds) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", creds).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Timed<>(response, Duration.ofNanos(System.nanoTime() - started));
    }

    private static String credentials(String registryBase) {
        return Base64.getEncoder().encodeToString(("{\"type\":\"artifactory-cr\",\"username\":\""
                + DistributionRegistry.ADMIN_USER + "\",\"password\":\"" + DistributionRegistry.ADMIN_PASSWORD
                + "\",\"registryBase\":\"" + registryBase + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Points {@code name} at {@code address} in the agent's hosts file (the others stay): written whole and moved in
     * place, so that the agent never reads half a file, with a newer modification time each time.
     */
    private static synchronized void resolve(String name, String address) {
        try {
            Map<String, String> entries = new LinkedHashMap<>();
            entries.put("localhost", LOOPBACK);
            entries.put(InetAddress.getLocalHost().getHostName(), LOOPBACK);
            entries.put(EVIL_REGISTRY, LOOPBACK);
            entries.put(EVIL_REALM, METADATA);
            entries.put(REGISTRY, LOOPBACK);
            entries.put(name, address);
            StringBuilder text = new StringBuilder();
            entries.forEach((host, ip) -> text.append(ip).append(' ').append(host).append('\n'));
            Path next = hosts.resolveSibling("hosts.next");
            Files.writeString(next, text);
            Files.setLastModifiedTime(next, java.nio.file.attribute.FileTime.from(Instant.now()));
            Files.move(next, hosts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
