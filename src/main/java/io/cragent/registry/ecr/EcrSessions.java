package io.cragent.registry.ecr;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ECR sessions per role, region and external id: {@code AssumeRole} with the agent's own identity, then
 * {@code GetAuthorizationToken} with the role's credentials, decoded into a registry login. A session is kept until
 * its earlier expiry less the renewal margin; requests that find a renewal under way wait for it and share it.
 */
public final class EcrSessions {
    private static final Logger LOG = LoggerFactory.getLogger(EcrSessions.class);
    private static final int MAX_CACHED = 256;

    private final AwsClients aws;
    private final EcrSettings settings;
    private final Clock clock;
    private final String sessionName = "snyk-cra-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private final Map<EcrRole, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong renewals = new AtomicLong();

    public EcrSessions(AwsClients aws, EcrSettings settings, Clock clock) {
        this.aws = aws;
        this.settings = settings;
        this.clock = clock;
    }

    /** A session good for at least the renewal margin, or one just obtained. */
    public EcrSession session(EcrRole role) {
        if (slots.size() > MAX_CACHED) {
            slots.clear(); // rare: many distinct roles; sessions are simply obtained again
        }
        Slot slot = slots.computeIfAbsent(role, r -> new Slot());
        CompletableFuture<EcrSession> renewal;
        boolean mine = false;
        synchronized (slot) {
            if (slot.session != null && clock.instant().isBefore(slot.session.expiresAt().minus(settings.renewMargin()))) {
                return slot.session;
            }
            if (slot.renewal == null) {
                slot.renewal = new CompletableFuture<>();
                mine = true;
            }
            renewal = slot.renewal;
        }
        if (mine) {
            renew(role, slot, renewal);
        }
        try {
            return renewal.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Drops a session AWS has declared expired, so that the next request renews it. */
    public void invalidate(EcrRole role, EcrSession session) {
        Slot slot = slots.get(role);
        if (slot != null) {
            synchronized (slot) {
                if (slot.session == session) {
                    slot.session = null;
                }
            }
        }
    }

    /** How many renewals reached GetAuthorizationToken (each after one AssumeRole), successful or not. */
    public long renewals() {
        return renewals.get();
    }

    private void renew(EcrRole role, Slot slot, CompletableFuture<EcrSession> renewal) {
        EcrSession session = null;
        RuntimeException failure = null;
        try {
            session = obtain(role);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            synchronized (slot) {
                if (session != null) {
                    slot.session = session;
                }
                slot.renewal = null;
            }
            if (session != null) {
                renewal.complete(session);
            } else {
                renewal.completeExceptionally(failure != null ? failure
                        : new AgentException(ErrorCode.INTERNAL_ERROR, "ECR session renewal was interrupted"));
            }
        }
    }

    private EcrSession obtain(EcrRole role) {
        Credentials assumed = assumeRole(role);
        AwsSessionCredentials credentials = AwsSessionCredentials.create(assumed.accessKeyId(),
                assumed.secretAccessKey(), assumed.sessionToken());
        AuthorizationData token;
        try {
            var answer = aws.ecr(role.region()).getAuthorizationToken(request -> request
                    .overrideConfiguration(c -> c.credentialsProvider(StaticCredentialsProvider.create(credentials))));
            if (!answer.hasAuthorizationData() || answer.authorizationData().isEmpty()) {
                throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "ECR in " + role.region()
                        + " answered GetAuthorizationToken without a token");
            }
            token = answer.authorizationData().get(0);
        } catch (SdkException e) {
            throw AwsErrors.ecr(e, role, null);
        } finally {
            renewals.incrementAndGet();
        }
        String[] login = decode(token.authorizationToken(), role);
        Instant expiresAt = earlier(token.expiresAt(), assumed.expiration());
        if (!expiresAt.isAfter(clock.instant())) {
            LOG.debug("ECR session for {} expires at {}, before now: it serves this request only", role, expiresAt);
        }
        String registryBase = firstNonBlank(settings.registryEndpointOverride(), token.proxyEndpoint(),
                role.defaultRegistryBase());
        LOG.debug("ECR session for {}: registry {}, expires {}", role, registryBase, expiresAt);
        return new EcrSession(credentials, registryBase, login[0], login[1], expiresAt);
    }

    private Credentials assumeRole(EcrRole role) {
        AssumeRoleRequest.Builder request = AssumeRoleRequest.builder().roleArn(role.roleArn())
                .roleSessionName(sessionName).durationSeconds((int) settings.sessionDuration().toSeconds());
        if (role.externalId() != null) {
            request.externalId(role.externalId());
        }
        try {
            return aws.sts(role.region()).assumeRole(request.build()).credentials();
        } catch (SdkException e) {
            throw AwsErrors.assumeRole(e, role);
        }
    }

    /** {@code base64("AWS:<password>")} into user and password. */
    private static String[] decode(String authorizationToken, EcrRole role) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationToken == null ? "" : authorizationToken.trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "ECR in " + role.region()
                    + " answered with an authorization token that is not user:password");
        }
        return new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? Instant.EPOCH : b) : a;
        }
        return a.isBefore(b) ? a : b;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    /** One role's cached session and the renewal under way, if any; guarded by its own monitor. */
    private static final class Slot {
        private EcrSession session;
        private CompletableFuture<EcrSession> renewal;
    }
}
