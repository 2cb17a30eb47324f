package io.cragent.scan.apps.node;

import java.util.regex.Pattern;

/** node-semver's strict {@code valid()}: {@code 1.2.3}, optionally {@code v}-prefixed, with prerelease and build. */
final class Semver {
    private static final String NUMBER = "(?:0|[1-9]\\d*)";
    private static final String PRERELEASE_ID = "(?:" + NUMBER + "|\\d*[a-zA-Z-][a-zA-Z0-9-]*)";
    private static final Pattern VALID = Pattern.compile("v?" + NUMBER + "\\." + NUMBER + "\\." + NUMBER
            + "(?:-" + PRERELEASE_ID + "(?:\\." + PRERELEASE_ID + ")*)?"
            + "(?:\\+[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*)?");

    private Semver() {
    }

    static boolean valid(String version) {
        return version != null && version.length() <= 256 && VALID.matcher(version.trim()).matches();
    }
}
