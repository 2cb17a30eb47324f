package io.cragent.registry;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

import java.util.regex.Pattern;

/** The OCI distribution grammar for repository names, tags and digests: checked before any registry call. */
public final class OciNames {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");
    private static final int MAX_NAME_LENGTH = 255;

    private OciNames() {
    }

    public static boolean isRepository(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (String component : name.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                return false;
            }
        }
        return true;
    }

    public static boolean isTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    public static boolean isDigest(String digest) {
        return digest != null && DIGEST.matcher(digest).matches();
    }

    public static String requireRepository(String name) {
        if (!isRepository(name)) {
            throw new AgentException(ErrorCode.INVALID_NAME, "invalid repository name: " + printable(name));
        }
        return name;
    }

    public static String requireDigest(String digest) {
        if (!isDigest(digest)) {
            throw new AgentException(ErrorCode.INVALID_NAME, "invalid digest: " + printable(digest));
        }
        return digest;
    }

    /** Shows a rejected value without letting control characters or a huge value into a message. */
    static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return '"' + cut.replaceAll("[\\p{Cntrl}]", "?") + '"';
    }
}
