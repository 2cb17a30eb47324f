package io.cragent.registry.ecr;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Set;

/**
 * AWS failures as agent errors. Messages are ours: they name the role and the region, never a key, a token or
 * AWS's own message text.
 */
final class AwsErrors {
    private static final Set<String> EXPIRED = Set.of("ExpiredToken", "ExpiredTokenException");
    private static final Set<String> BAD_IDENTITY = Set.of("InvalidClientTokenId", "SignatureDoesNotMatch",
            "UnrecognizedClientException", "IncompleteSignature", "MissingAuthenticationToken");
    private static final Set<String> THROTTLED = Set.of("Throttling", "ThrottlingException", "TooManyRequestsException",
            "RequestLimitExceeded");

    private AwsErrors() {
    }

    static boolean isExpiredToken(SdkException e) {
        return e instanceof AwsServiceException service && EXPIRED.contains(code(service));
    }

    /** A failure of AssumeRole. */
    static AgentException assumeRole(SdkException e, EcrRole role) {
        if (e instanceof AwsServiceException service) {
            String code = code(service);
            // A 403 without a readable code is AccessDenied too: AssumeRole has no other 403 but the identity ones.
            if (code.equals("AccessDenied") || service.statusCode() == 403 && !BAD_IDENTITY.contains(code)) {
                return new AgentException(ErrorCode.AUTH_FAILED, "AWS STS refused to let the agent assume "
                        + role.roleArn() + ": check that the role's trust policy trusts the agent's AWS identity"
                        + (role.externalId() == null ? ", and whether it requires an external id"
                        : " and requires this external id"), e);
            }
            if (code.equals("ValidationError") || code.equals("MalformedPolicyDocument")) {
                return new AgentException(ErrorCode.INVALID_CREDENTIALS,
                        "AWS STS did not accept the role or external id of the ECR credentials", e);
            }
            if (code.equals("RegionDisabledException")) {
                return new AgentException(ErrorCode.ACCESS_DENIED,
                        "AWS STS is not enabled in region " + role.region() + " for this account", e);
            }
        }
        return common(e, "AWS STS in " + role.region());
    }

    /** A failure of an ECR API call made with the role's credentials. */
    static AgentException ecr(SdkException e, EcrRole role, String repository) {
        if (e instanceof AwsServiceException service) {
            String code = code(service);
            if (code.equals("RepositoryNotFoundException")) {
                return new AgentException(ErrorCode.REPOSITORY_NOT_FOUND,
                        "repository " + repository + " is not in the ECR registry of account " + role.accountId(), e);
            }
            if (code.equals("AccessDeniedException") || service.statusCode() == 403 && !BAD_IDENTITY.contains(code)) {
                return new AgentException(ErrorCode.ACCESS_DENIED, "role " + role.roleArn()
                        + " may not call the ECR API (" + operation(service) + ")", e);
            }
            if (code.equals("InvalidParameterException")) {
                return AgentException.badRequest("ECR did not accept the request's parameters (a cursor this "
                        + "agent did not issue?)");
            }
        }
        return common(e, "the ECR API in " + role.region());
    }

    private static AgentException common(SdkException e, String service) {
        if (e instanceof AwsServiceException aws) {
            String code = code(aws);
            if (BAD_IDENTITY.contains(code) || EXPIRED.contains(code)) {
                return new AgentException(ErrorCode.AUTH_FAILED, service + " rejected the agent's AWS identity ("
                        + code + ")", e);
            }
            if (THROTTLED.contains(code) || aws.statusCode() == 429) {
                return new AgentException(ErrorCode.RATE_LIMITED, service + " is throttling the agent's calls", e);
            }
            if (aws.statusCode() >= 500) {
                return new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, service + " answered "
                        + aws.statusCode(), e);
            }
            return new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, service + " refused the call ("
                    + code + ", status " + aws.statusCode() + ")", e);
        }
        if (isMissingIdentity(e)) {
            return new AgentException(ErrorCode.AUTH_FAILED, "the agent has no AWS identity of its own: give it "
                    + "credentials through the environment, a profile, web identity, or a container or instance role", e);
        }
        return new AgentException(ErrorCode.REGISTRY_UNAVAILABLE, service + " could not be reached", e);
    }

    private static boolean isMissingIdentity(SdkException e) {
        String message = e.getMessage();
        return message != null && message.startsWith("Unable to load credentials");
    }

    /** AWS error codes are safe to show: a fixed vocabulary, no request data. */
    private static String code(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code == null ? "" : code.replaceAll("[^A-Za-z0-9.]", "");
    }

    private static String operation(AwsServiceException e) {
        return code(e).isEmpty() ? "status " + e.statusCode() : code(e);
    }
}
