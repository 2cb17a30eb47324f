package io.cragent.scan.os;

/** The image's distribution: {@code name:version} becomes the depGraph repository alias (e.g. {@code debian:12}). */
public record OsRelease(String name, String version, String prettyName) {
    public static final OsRelease UNKNOWN = new OsRelease("unknown", "0.0", null);

    public String alias() {
        return name + ":" + version;
    }
}
