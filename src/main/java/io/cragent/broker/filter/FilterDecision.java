package io.cragent.broker.filter;

/** The outcome of matching one request: the first rule that passed, or blocked. */
public sealed interface FilterDecision permits FilterDecision.Allowed, FilterDecision.Blocked {

    boolean allowed();

    /**
     * @param rule          the matched rule (its index is its position in the list)
     * @param origin        the rule's origin with variables resolved; "" when the rule has none
     * @param authorization the {@code Authorization} value from the rule's {@code auth}, or null
     */
    record Allowed(AcceptRule rule, String origin, String authorization) implements FilterDecision {
        @Override
        public boolean allowed() {
            return true;
        }

        /** origin + raw URL; {@code https://} in front when that does not start with "http" (snyk's rule). */
        public String targetUrl(String url) {
            String target = origin + url;
            return target.startsWith("http") ? target : "https://" + target;
        }
    }

    /** @param reason why, for our own logs (the response body keeps snyk's fixed text) */
    record Blocked(String reason) implements FilterDecision {
        @Override
        public boolean allowed() {
            return false;
        }
    }
}
