package io.cragent.registry;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import io.cragent.registry.auth.RegistryAuthenticator;
import io.cragent.registry.http.HttpAnswer;
import io.cragent.registry.http.HttpCall;
import io.cragent.registry.http.RegistryHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;

/**
 * Makes an authorized call to one registry: attaches the credentials for the scopes, re-authenticates once on a 401,
 * and turns refusals into {@link AgentException}s with stable codes.
 */
final class RegistryCaller {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryCaller.class);

    private final RegistryHttp http;
    private final RegistryAuthenticator auth;

    RegistryCaller(RegistryHttp http, RegistryAuthenticator auth) {
        this.http = http;
        this.auth = auth;
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
