package io.cragent.scan.apps.java;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK's {@code release} file: where it lives and its {@code JAVA_VERSION}, read as the reference reads it. A file
 * with no or several {@code JAVA_VERSION} lines, or an implausible version, names no runtime.
 */
final class JavaRelease {
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^\\s*JAVA_VERSION\\s*=\\s*(?:([\"'])(.*?)\\1|([^#\\r\\n]+))", Pattern.MULTILINE);
    /** Digits first, then version characters, ending alphanumeric, never {@code ..}. */
    private static final Pattern PLAUSIBLE = Pattern.compile("(?!.*\\.\\.)[0-9]+(?:[._+a-zA-Z0-9-]*[a-zA-Z0-9])?");

    private JavaRelease() {
    }

    /**
     * Temurin's {@code /opt/java/openjdk}, the official image's {@code /usr/local/openjdk-*}, distribution JVMs in
     * {@code /usr/lib/jvm/} and Oracle's {@code /usr/java/}.
     */
    static boolean isReleaseFile(String path) {
        if (path.equals("/opt/java/openjdk/release")) {
            return true;
        }
        return path.endsWith("/release") && (path.startsWith("/usr/local/openjdk-")
                || path.startsWith("/usr/lib/jvm/") || path.startsWith("/usr/java/"));
    }

    static Optional<String> version(String content) {
        Matcher matcher = ASSIGNMENT.matcher(content);
        String version = null;
        int found = 0;
        while (matcher.find()) {
            found++;
            version = (matcher.group(2) != null && !matcher.group(2).isEmpty() ? matcher.group(2)
                    : matcher.group(3) == null ? "" : matcher.group(3)).strip();
        }
        if (found != 1 || !PLAUSIBLE.matcher(version).matches()) {
            return Optional.empty();
        }
        return Optional.of(version);
    }
}
