package io.cragent.broker.substitution;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} replacement as snyk's replace-vars does it (broker-protocol.md §5.1): the shortest
 * {@code ${…}} on one line, unknown or empty names become "", and {@code NAME_POOL} (comma-separated) is used
 * round-robin when present.
 *
 * <p>Rule origins and {@code auth} fields come from our own accept file and see every variable
 * ({@link #of(Map)}). Text that arrives with a request (header and body substitution) may only name allowed
 * variables ({@link #restrictedTo(Predicate)}); any other name becomes "" so a caller cannot read the client's
 * environment through the agent.
 */
public final class Variables {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^\\n\\r\\u2028\\u2029]*?}");

    /** Default substitution allow-list: the credentials, the two URLs, and every {@code CR_*} variable. */
    public static final Predicate<String> DEFAULT_ALLOWED = allowList("CR_CREDENTIALS,BROKER_CLIENT_URL,CR_AGENT_URL,CR_*");

    private final Map<String, String> values;
    private final Predicate<String> allowed;
    private final Map<String, AtomicInteger> poolCursors;

    private Variables(Map<String, String> values, Predicate<String> allowed, Map<String, AtomicInteger> poolCursors) {
        this.values = values;
        this.allowed = allowed;
        this.poolCursors = poolCursors;
    }

    /** Every variable of the map (the client's configuration and environment). */
    public static Variables of(Map<String, String> values) {
        return new Variables(Map.copyOf(values), name -> true, new ConcurrentHashMap<>());
    }

    /** The same values (and pool positions), but names the predicate refuses resolve to "". */
    public Variables restrictedTo(Predicate<String> allowedNames) {
        return new Variables(values, allowed.and(allowedNames), poolCursors);
    }

    /** A comma-separated list of names, where {@code PREFIX*} allows every name starting with PREFIX. */
    public static Predicate<String> allowList(String spec) {
        List<String> entries = Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return name -> entries.stream().anyMatch(entry -> entry.endsWith("*")
                ? name.startsWith(entry.substring(0, entry.length() - 1)) : name.equals(entry));
    }

    /** Replaces every placeholder; {@code null} input gives "" as snyk's {@code (input || '')}. */
    public String replace(String input) {
        if (input == null || input.isEmpty()) {
            return "";
        }
        Matcher m = PLACEHOLDER.matcher(input);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group().substring(2, m.group().length() - 1);
            m.appendReplacement(out, Matcher.quoteReplacement(resolve(name)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** True when the name would be replaced by a value the caller may see. */
    public boolean isAllowed(String name) {
        return allowed.test(name);
    }

    private String resolve(String name) {
        if (!allowed.test(name)) {
            return "";
        }
        String pool = values.get(name + "_POOL");
        if (pool != null && !pool.isEmpty()) {
            String[] members = pool.split(",", -1);
            if (pool.contains(",")) {
                for (int i = 0; i < members.length; i++) {
                    members[i] = members[i].trim();
                }
            }
            int index = Math.floorMod(poolCursors.computeIfAbsent(name, k -> new AtomicInteger()).getAndIncrement(),
                    members.length);
            return members[index];
        }
        String value = values.get(name);
        return value == null ? "" : value;
    }
}
