package io.cragent.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code /healthcheck} reports: alive, and which build. */
public final class AgentInfo {
    private final String version = versionOf(AgentInfo.class);

    public Map<String, Object> health() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("version", version);
        return answer;
    }

    public static String versionOf(Class<?> type) {
        String v = type.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
