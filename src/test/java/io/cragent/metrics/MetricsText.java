package io.cragent.metrics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text exposition, for assertions. */
final class MetricsText {
    private MetricsText() {
    }

    /**
     * The sum of the samples named {@code name} whose labels include every {@code key="value"} given (0 when there is
     * none), e.g. {@code value(text, "cragent_scans_total", "outcome=\"success\"")}.
     */
    static double value(String text, String name, String... labels) {
        Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = sample.matcher(text);
        double sum = 0;
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
