package io.cragent.broker.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.broker.filter.AcceptRules;
import io.cragent.broker.filter.FilterDecision;
import io.cragent.broker.filter.FilterRequest;
import io.cragent.broker.substitution.DownstreamHeaders;
import io.cragent.broker.substitution.RequestSubstitution;
import io.cragent.broker.substitution.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.function.Predicate;

/**
 * The client's {@link RequestGate} on the accept-list engine: {@link AcceptRules} matching, then
 * {@link RequestSubstitution} with only allow-listed variables, then {@link DownstreamHeaders}.
 */
public final class AcceptListGate implements RequestGate {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptListGate.class);

    /** Switches of broker-protocol.md §5.2–5.3, with snyk's names in client.properties. */
    public record Options(boolean bodySubstitution, boolean headerSubstitution, boolean removeXForwardedHeaders,
                          Predicate<String> substitutable, String version) {
    }

    private final AcceptRules rules;
    private final Variables variables;
    private final Variables requestVariables;
    private final Options options;

    public AcceptListGate(AcceptRules rules, Variables variables, Options options) {
        this.rules = rules;
        this.variables = variables;
        this.requestVariables = variables.restrictedTo(options.substitutable());
        this.options = options;
    }

    @Override
    public Forward downstream(BrokerRequest request) {
        FilterDecision decision = rules.privateRules().match(filterRequest(request), variables);
        if (!(decision instanceof FilterDecision.Allowed allowed)) {
            LOG.debug("private rules: {}", ((FilterDecision.Blocked) decision).reason());
            return null;
        }
        RequestSubstitution.Result substituted = RequestSubstitution.apply(request.headers(), request.body(),
                requestVariables, options.bodySubstitution(), options.headerSubstitution());
        byte[] body = substituted.body();
        DownstreamHeaders.Prepared prepared = DownstreamHeaders.prepare(allowed.targetUrl(request.url()),
                substituted.headers(), allowed.authorization(), body == null ? 0 : body.length, request.requestId(),
                options.version(), options.removeXForwardedHeaders());
        URI target;
        try {
            target = URI.create(prepared.url());
        } catch (IllegalArgumentException e) {
            throw DownstreamFailure.error("the request URL is not a valid URI", e);
        }
        return new Forward(target, request.method(), prepared.headers(), body);
    }

    @Override
    public boolean allowsUpstream(BrokerRequest request) {
        return rules.publicRules().match(filterRequest(request), variables).allowed();
    }

    @Override
    public JsonNode rules() {
        return rules.json();
    }

    private static FilterRequest filterRequest(BrokerRequest request) {
        return new FilterRequest(request.method(), request.url(), request.headers(), request.body());
    }
}
