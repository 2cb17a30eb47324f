package io.cragent.scan.os;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Package URLs as snyk writes them: qualifiers sorted, {@code +} and {@code @} escaped, {@code :} and {@code ~} kept in versions. */
public final class Purls {
    private static final Map<String, String> DEBIAN_CODENAMES = Map.of("8", "jessie", "9", "stretch", "10", "buster",
            "11", "bullseye", "12", "bookworm", "13", "trixie", "unstable", "sid");

    private Purls() {
    }

    /** {@code pkg:deb/debian/libssl3@3.0.9-1?distro=debian-bookworm&upstream=openssl}. */
    public static String deb(OsRelease os, String name, String version, String source, String sourceVersion) {
        Map<String, String> qualifiers = new TreeMap<>();
        String release = os.name().equals("debian") ? DEBIAN_CODENAMES.getOrDefault(os.version(), os.version()) : os.version();
        qualifiers.put("distro", os.name() + "-" + release);
        if (source != null) {
            qualifiers.put("upstream", sourceVersion == null ? source : source + "@" + sourceVersion);
        }
        return build("deb", os.name(), name, version, qualifiers);
    }

    /** {@code pkg:rpm/mariner/bash@5.1.8-1.cm2?distro=mariner-2.0&upstream=bash%405.1.8-1.cm2}. */
    public static String rpm(OsRelease os, String name, String version, Integer epoch, String module,
                             String upstreamName, String upstreamVersion) {
        Map<String, String> qualifiers = new TreeMap<>();
        qualifiers.put("distro", os.name() + "-" + os.version());
        if (epoch != null) {
            qualifiers.put("epoch", String.valueOf(epoch));
        }
        if (module != null) {
            qualifiers.put("module", module);
        }
        if (upstreamName != null) {
            qualifiers.put("upstream", upstreamVersion == null ? upstreamName : upstreamName + "@" + upstreamVersion);
        }
        return build("rpm", os.name(), name, version, qualifiers);
    }

    private static String build(String type, String namespace, String name, String version, Map<String, String> qualifiers) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        qualifiers.forEach((k, v) -> query.add(k + "=" + encodeQualifier(v)));
        return "pkg:" + type + "/" + encodeSegment(namespace) + "/" + encodeSegment(name) + "@" + encodeSegment(version) + query;
    }

    private static String encodeSegment(String s) {
        return percentEncode(s, "-._~:");
    }

    private static String encodeQualifier(String s) {
        return percentEncode(s, "-._~,"); // ":" is kept in versions but escaped in qualifier values
    }

    private static String percentEncode(String s, String safe) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 128 && (Character.isLetterOrDigit(c) || safe.indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
