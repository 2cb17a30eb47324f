package io.cragent.agent.ecr;

import io.cragent.agent.jobs.ImageOutcome;
import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.ExchangeHelper;

/**
 * The outcome of an OCI operation tried with an ECR session's login. ECR can revoke a session before the expiry it
 * gave; when the registry then refuses the login (an error answer, or a scan failed with {@code AUTH_FAILED}), the
 * attempt is set aside and {@link #LOGIN_REJECTED} set, so that the route tries once more with a new session.
 * Any other outcome, good or bad, becomes the request's, as if the operation had been called directly.
 */
public final class EcrLoginAttempt implements AggregationStrategy {
    /** Exchange property: the registry refused the login of the first attempt. */
    public static final String LOGIN_REJECTED = "ecrLoginRejected";

    @Override
    public Exchange aggregate(Exchange request, Exchange attempt) {
        if (loginRejected(attempt)) {
            request.setProperty(LOGIN_REJECTED, true);
        } else {
            ExchangeHelper.copyResults(request, attempt);
        }
        return request;
    }

    private static boolean loginRejected(Exchange attempt) {
        if (attempt.getMessage().getBody() instanceof ImageOutcome scan) {
            return scan.errorCode() == ErrorCode.AUTH_FAILED;
        }
        Throwable failure = attempt.getException() != null ? attempt.getException()
                : attempt.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return failure instanceof AgentException e && e.code() == ErrorCode.AUTH_FAILED;
    }
}
