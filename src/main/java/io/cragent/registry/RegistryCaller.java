package io.cragent.registry;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.auth.RegistryAuthenticator;
import io.cragent.registry.http.HttpAnswer;
import io.cragent.registry.http.HttpCall;
import io.cragent.registry.http.RegistryHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Optional;

/**
 * Makes an authorized call to one registry: attaches the credentials for the scopes, re-authenticates once on a 401,
 * and turns refusals into {@link AgentException}s with stable codes.
 */
final class RegistryCaller {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryCaller.class);

    private final RegistryHttp http;
    private final RegistryAuthenticator auth;
    private final int retries;
    private final RegistryObserver observer;

    RegistryCaller(RegistryHttp http, RegistryAuthenticator auth, int retries, RegistryObserver observer) {
        this.observer = observer;
        this.http = http;
        this.auth = auth;
        this.retries = retries;
    }

    /** A small document read whole, with the headers and URL of the answer that carried it. */
    record Fetched(byte[] body, HttpHeaders headers, URI uri) {
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /**
     * Calls, insists on a 2xx and reads the body, up to {@code cap} bytes. A body that breaks off (reset,
     * premature end, silence) is fetched again from the start, as many times as other faults are retried.
     */
    Fetched fetch(HttpCall call, List<String> scopes, ErrorCode notFound, String what, int cap) {
        for (int attempt = 0; ; attempt++) {
            try (HttpAnswer answer = callOk(call, scopes, notFound, what)) {
                return new Fetched(answer.readBody(cap), answer.headers(), answer.uri());
            } catch (HttpAnswer.BodyTooLargeException e) {
                throw new AgentException(ErrorCode.MANIFEST_INVALID, "the registry sent " + what + " over " + cap + " bytes");
            } catch (UncheckedIOException e) {
                if (attempt >= retries) {
                    throw new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, "the download of " + what
                            + " broke off " + (attempt + 1) + " times: " + e.getCause().getMessage(), e);
                }
                LOG.debug("download of {} broke off ({}); fetching it again", what, e.getCause().getMessage());
            }
        }
    }

    static String pullScope(String repository) {
        return "repository:" + repository + ":pull";
    }

    static final String CATALOG_SCOPE = "registry:catalog:*";

    /** The answer, whatever its status; a 401 has already had its one re-authentication. */
    HttpAnswer call(HttpCall call, List<String> scopes) {
        HttpCall authorized = call.withAuthorization(auth.authorization(scopes));
        HttpAnswer answer = http.send(authorized);
        if (answer.status() != 401) {
            return answer;
        }
        List<String> challenge = answer.headerValues("WWW-Authenticate");
        URI answeredBy = answer.uri();
        answer.close();
        if (RegistryHttp.sameOrigin(answeredBy, call.uri())) {
            return http.send(authorized.withAuthorization(auth.reauthorize(challenge, scopes)));
        }
        // A redirect target (blob storage) with its own token service: anonymous, never our credentials.
        return http.send(authorized.withUri(answeredBy).withAuthorization(auth.anonymousFor(answeredBy, challenge)));
    }

    /** Calls and insists on a 2xx; anything else becomes an error whose 404 code is {@code notFound}. */
    HttpAnswer callOk(HttpCall call, List<String> scopes, ErrorCode notFound, String what) {
        HttpAnswer answer = call(call, scopes);
        if (answer.isSuccess()) {
            return answer;
        }
        observer.errorStatus(answer.status());
        throw failure(answer, notFound, what);
    }

    static AgentException failure(HttpAnswer answer, ErrorCode notFound, String what) {
        int status = answer.status();
        String registryCode = answer.registryErrorCode().orElse("");
        LOG.debug("registry answered HTTP {} {} for {}", status, registryCode, what);
        return switch (status) {
            case 401 -> new AgentException(ErrorCode.AUTH_FAILED, "the registry rejected the credentials for " + what);
            case 403 -> new AgentException(ErrorCode.ACCESS_DENIED, "the registry denied access to " + what);
            case 404 -> new AgentException(notFoundCode(registryCode, notFound), what + " not found");
            case 405 -> new AgentException(ErrorCode.UNSUPPORTED, "the registry does not support " + what);
            case 429 -> new AgentException(ErrorCode.RATE_LIMITED, "the registry rate-limited " + what);
            default -> new AgentException(ErrorCode.REGISTRY_UNAVAILABLE,
                    "the registry answered HTTP " + status + " for " + what);
        };
    }

    private static ErrorCode notFoundCode(String registryCode, ErrorCode fallback) {
        return switch (registryCode) {
            case "NAME_UNKNOWN" -> ErrorCode.REPOSITORY_NOT_FOUND;
            case "MANIFEST_UNKNOWN" -> ErrorCode.IMAGE_NOT_FOUND;
            case "BLOB_UNKNOWN" -> ErrorCode.BLOB_NOT_FOUND;
            default -> fallback;
        };
    }
}
