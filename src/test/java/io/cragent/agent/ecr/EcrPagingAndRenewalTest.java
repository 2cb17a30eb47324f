package io.cragent.agent.ecr;

import io.cragent.agent.AgentTestSupport;
import io.cragent.testsupport.FakeEcrApi;
import io.cragent.testsupport.FakeSaas;
import io.cragent.testsupport.FaultyRegistry;
import io.cragent.testsupport.MotoServer;
import io.cragent.testsupport.Peers;
import io.cragent.testsupport.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What moto_server does not do, against a fake of the ECR API (STS stays moto): paging by nextToken, tokens with a
 * real expiry (kept until the renewal margin, renewed within it, one renewal shared by concurrent requests),
 * throttling retried by the SDK, an expired-token answer renewing the session; and a registry whose blobs
 * redirect to another origin, as ECR's do to S3.
 */
class EcrPagingAndRenewalTest extends AgentTestSupport {
    private static final String PASSWORD = "fake-ecr-registry-password";
    private static final Instant PUSHED = Instant.parse("2025-03-04T05:06:07Z");
    private static final String ROLE = "arn:aws:iam::123456789012:role/snyk-ecr-reader";

    private MotoServer moto;
    private FakeEcrApi ecrApi;
    private FaultyRegistry registry;

    @BeforeAll
    void startAws() {
        moto = MotoServer.start();
        registry = FaultyRegistry.start("AWS", PASSWORD);
        ecrApi = FakeEcrApi.start(PASSWORD);
        List<FakeEcrApi.Image> images = new ArrayList<>();
        images.add(new FakeEcrApi.Image(registry.manifestDigest(), List.of(registry.tag()), PUSHED, registry.manifestMediaType()));
        for (int i = 1; i <= 4; i++) {
            images.add(new FakeEcrApi.Image("sha256:" + String.valueOf(i).repeat(64), List.of("v" + i, "v" + i + "-alias"),
                    PUSHED.plusSeconds(i), "application/vnd.docker.distribution.manifest.v2+json"));
        }
        ecrApi.repository(registry.repository(), images.toArray(FakeEcrApi.Image[]::new));
        for (int i = 0; i < 6; i++) {
            ecrApi.repository("more/repo-" + i);
        }
        System.setProperty("aws.accessKeyId", "AKIAAGENTIDENTITY001");
        System.setProperty("aws.secretAccessKey", "agent-secret-access-key-not-to-be-shown");
        override("cragent.ecr.sts-endpoint-override", moto.endpoint().toString());
        override("cragent.ecr.api-endpoint-override", ecrApi.endpoint());
        override("cragent.ecr.registry-endpoint-override", registry.baseUrl());
        override("cragent.registry.insecure-hosts", registry.hostPort());
        override("cragent.ecr.page-size", "2");
        override("cragent.ecr.renew-margin-seconds", "300");
    }

    @AfterAll
    void stopAws() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        Peers.closeAll(ecrApi, registry, moto);
    }

    private static String creds() {
        String json = "{\"type\":\"ecr\",\"roleArn\":\"" + ROLE + "\",\"extra\":{\"region\":\"us-east-1\"}}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> texts(Answer answer) {
        List<String> values = new ArrayList<>();
        answer.json().forEach(n -> values.add(n.asText()));
        return values;
    }

    @Test
    void repositoriesAreListedAcrossEveryPage() {
        ecrApi.clearCalls();
        Answer answer = get("/list", creds());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(texts(answer)).hasSize(7).contains(registry.repository(), "more/repo-0", "more/repo-5");
        assertThat(ecrApi.calls()).filteredOn(c -> c.operation().equals("DescribeRepositories"))
                .hasSize(4).allMatch(c -> c.maxResults() == 2);
    }

    @Test
    void tagsAreListedAcrossEveryPageAndPageByPageWithCursors() {
        Answer all = get("/list/" + registry.repository(), creds());
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(texts(all)).containsExactly("1.0", "v1", "v1-alias", "v2", "v2-alias", "v3", "v3-alias", "v4", "v4-alias");

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page = get("/list-paginated/" + registry.repository() + "?pageSize=4"
                    + (cursor == null ? "" : "&cursor=" + cursor), creds());
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("tags").forEach(t -> paged.add(t.asText()));
            cursor = page.json().path("next").isNull() ? null : page.json().path("next").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(paged).isEqualTo(texts(all));
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void tagMetadataIsListedAcrossEveryPageWithPushTimes() {
        Answer answer = get("/list-with-metadata/" + registry.repository(), creds());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json()).hasSize(9);
        assertThat(answer.json().get(0).path("tag").asText()).isEqualTo("1.0");
        assertThat(answer.json().get(0).path("digest").asText()).isEqualTo(registry.manifestDigest());
        assertThat(answer.json().get(0).path("lastPushed").asText()).isEqualTo(PUSHED.toString());
        assertThat(answer.json().get(8).path("tag").asText()).isEqualTo("v4-alias");
        assertThat(answer.json().get(8).path("lastPushed").asText()).isEqualTo(PUSHED.plusSeconds(4).toString());
    }

    @Test
    void theSessionIsKeptUntilTheRenewalMarginAndRenewedWithinIt() {
        ecrApi.tokenLifetime(Duration.ofHours(12));
        sessionRenewedNow();
        ecrApi.clearCalls();
        assertThat(get("/list", creds()).status()).isEqualTo(200);
        assertThat(get("/image-metadata/" + registry.repository() + ":" + registry.tag(), creds()).status()).isEqualTo(200);
        assertThat(ecrApi.count("GetAuthorizationToken")).as("a fresh session is reused").isZero();

        // A token that expires within the margin (300 s) serves its request and is renewed for the next one.
        ecrApi.tokenLifetime(Duration.ofMinutes(2));
        sessionRenewedNow();
        ecrApi.clearCalls();
        assertThat(get("/list", creds()).status()).isEqualTo(200);
        assertThat(get("/list", creds()).status()).isEqualTo(200);
        assertThat(ecrApi.count("GetAuthorizationToken")).isEqualTo(2);
        ecrApi.tokenLifetime(Duration.ofHours(12));
    }

    @Test
    void concurrentRequestsShareOneRenewal() throws Exception {
        ecrApi.tokenLifetime(Duration.ofMinutes(2));
        sessionRenewedNow(); // the cached session is now due
        ecrApi.tokenLifetime(Duration.ofHours(12));
        ecrApi.tokenDelay(Duration.ofMillis(800));
        ecrApi.clearCalls();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> get("/list/" + registry.repository(), creds()), pool));
            }
            for (CompletableFuture<Answer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            ecrApi.tokenDelay(Duration.ZERO);
            pool.shutdownNow();
        }
        assertThat(ecrApi.count("GetAuthorizationToken")).isEqualTo(1);
        assertThat(ecrApi.count("ListImages")).isGreaterThanOrEqualTo(6);
    }

    @Test
    void anExpiredTokenAnswerRenewsTheSessionAndRepeatsTheCallOnce() {
        ecrApi.tokenLifetime(Duration.ofHours(12));
        get("/list", creds());
        ecrApi.clearCalls();
        ecrApi.expireToken("ListImages", 1);
        Answer answer = get("/list/" + registry.repository(), creds());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(ecrApi.count("GetAuthorizationToken")).isEqualTo(1);
        assertThat(ecrApi.count("ListImages")).isEqualTo(1 + 5); // the refused call, then the 5 pages
    }

    @Test
    void aLoginTheRegistryRefusesBeforeItsExpiryGetsOneNewSession() {
        sessionWithRevokedLogin(1);
        ecrApi.clearCalls();
        registry.clearRequests();
        Answer answer = get("/image-metadata/" + registry.repository() + ":" + registry.tag(), creds());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().path("digest").asText()).isEqualTo(registry.manifestDigest());
        assertThat(ecrApi.count("GetAuthorizationToken")).as("one new session").isEqualTo(1);

        // A login refused again is an answer, not a loop: one renewal per request.
        sessionWithRevokedLogin(2);
        ecrApi.clearCalls();
        Answer refused = get("/image-metadata/" + registry.repository() + ":" + registry.tag(), creds());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo("AUTH_FAILED");
        assertThat(ecrApi.count("GetAuthorizationToken")).isEqualTo(1);
        assertThat(get("/image-metadata/" + registry.repository() + ":" + registry.tag(), creds()).status())
                .as("the next session is good again").isEqualTo(200);
    }

    @Test
    void aScanWhoseLoginTheRegistryRefusesIsScannedWithANewSession() throws Exception {
        try (FakeSaas saas = new FakeSaas()) {
            sessionWithRevokedLogin(1);
            ecrApi.clearCalls();
            Answer accepted = post("/scan", "{\"credentials\":\"" + creds() + "\",\"images\":[\"" + registry.repository()
                    + ":" + registry.tag() + "\"],\"callbackUrl\":\"" + saas.origin() + "/api/v2/import/result\"}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            String jobId = accepted.json().path("jobId").asText();
            FakeSaas.Callback result = saas.await(c -> c.path().equals("/api/v2/import/result") && c.body().contains(jobId),
                    1, Duration.ofSeconds(60)).get(0);
            assertThat(result.body()).as(result.body()).doesNotContain("AUTH_FAILED").contains("\"result\"")
                    .doesNotContain(PASSWORD);
            assertThat(ecrApi.count("GetAuthorizationToken")).as("one new session").isEqualTo(1);
        }
    }

    @Test
    void throttlingIsRetriedByTheSdkThenReportedAs429() {
        ecrApi.tokenLifetime(Duration.ofHours(12));
        get("/list", creds());
        ecrApi.clearCalls();
        ecrApi.throttle("DescribeRepositories", 2);
        Answer retried = get("/list", creds());
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(texts(retried)).hasSize(7);
        assertThat(ecrApi.count("DescribeRepositories")).isEqualTo(2 + 4);

        ecrApi.clearCalls();
        ecrApi.throttle("DescribeRepositories", 10);
        Answer refused = get("/list", creds());
        ecrApi.throttle("DescribeRepositories", 0);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(ecrApi.count("DescribeRepositories")).isEqualTo(3);
    }

    @Test
    void blobRedirectsToAnotherOriginGoWithoutAuthorization() {
        registry.clearRequests();
        registry.redirectToOtherOrigin(registry.configBlobPath());
        try {
            Answer answer = get("/image-metadata/" + registry.repository() + ":" + registry.tag(), creds());
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().path("digest").asText()).isEqualTo(registry.manifestDigest());
            assertThat(answer.json().path("configDigest").asText()).isEqualTo(registry.configDigest());
        } finally {
            registry.clearFaults();
        }
        assertThat(registry.otherOriginRequests()).isNotEmpty().noneMatch(RecordedRequest::hadAuthorization);
        assertThat(registry.requests()).filteredOn(r -> r.path().equals(registry.configBlobPath()))
                .isNotEmpty().allMatch(r -> r.isAuthScheme("Basic"));
    }

    @Test
    void errorsShowNoSecret() {
        Answer answer = get("/list/no/such-repo", creds());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
        assertThat(answer.errorCode()).isEqualTo("REPOSITORY_NOT_FOUND");
        assertThat(answer.body()).doesNotContain("agent-secret-access-key").doesNotContain(PASSWORD)
                .doesNotContain("AKIAAGENTIDENTITY001");
    }

    /** Caches a session whose login the registry refuses; the {@code times - 1} tokens after it are refused too. */
    private void sessionWithRevokedLogin(int times) {
        ecrApi.tokenLifetime(Duration.ofHours(12));
        assertThat(get("/list", creds()).status()).isEqualTo(200); // a session exists: the next token is a renewal's
        ecrApi.revokeTokens(times);
        sessionRenewedNow();
    }

    /** An expired-token answer makes the agent renew at once: the session in the cache is then a new one. */
    private void sessionRenewedNow() {
        ecrApi.expireToken("DescribeRepositories", 1);
        long before = ecrApi.count("GetAuthorizationToken");
        assertThat(get("/list", creds()).status()).isEqualTo(200);
        assertThat(ecrApi.count("GetAuthorizationToken")).isGreaterThan(before);
    }
}
