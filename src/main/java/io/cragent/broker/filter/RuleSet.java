package io.cragent.broker.filter;

import io.cragent.broker.substitution.Variables;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ordered list of accept rules ({@code private} or {@code public}). {@link #match} tests the rules in order
 * and the first that passes wins; its origin and auth are resolved with the given variables.
 */
public final class RuleSet {

    private static final Logger LOG = LoggerFactory.getLogger(RuleSet.class);

    private final String name;
    private final List<AcceptRule> rules;

    RuleSet(String name, List<AcceptRule> rules) {
        this.name = name;
        this.rules = List.copyOf(rules);
    }

    public List<AcceptRule> rules() {
        return rules;
    }

    public FilterDecision match(FilterRequest request, Variables variables) {
        try {
            for (AcceptRule rule : rules) {
                if (rule.matches(request)) {
                    String origin = rule.origin() == null ? "" : variables.replace(rule.origin());
                    String authorization = rule.auth() == null ? null : rule.auth().headerValue(variables);
                    return new FilterDecision.Allowed(rule, origin, authorization);
                }
            }
            return new FilterDecision.Blocked("no " + name + " rule matches");
        } catch (ValidRules.QueryShapeException e) {
            // snyk throws here and blocks the request, whatever later rules say.
            LOG.debug("blocked {} {}: {}", request.method(), name, e.getMessage());
            return new FilterDecision.Blocked(e.getMessage());
        } catch (StackOverflowError e) {
            // java.util.regex recurses: a rule pattern with enough nested groups overflows on a request (found by
            // fuzzing accept files). Fail closed.
            LOG.warn("blocked {} request: a {} rule's pattern is too complex to evaluate", request.method(), name);
            return new FilterDecision.Blocked("a " + name + " rule's pattern is too complex to evaluate");
        }
    }

    @Override
    public String toString() {
        return name + " rules (" + rules.size() + ")";
    }
}
