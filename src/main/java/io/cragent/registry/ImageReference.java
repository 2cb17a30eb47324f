package io.cragent.registry;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

/**
 * {@code repository[:tag][@digest]} as the SaaS names an image. A registry host in front of the repository is
 * accepted when it is the configured registry (users paste full names), and refused otherwise.
 */
public record ImageReference(String repository, String tag, String digest) {

    public static ImageReference parse(String text, String registryHost) {
        if (text == null || text.isBlank()) {
            throw new AgentException(ErrorCode.INVALID_NAME, "an image reference is required");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new AgentException(ErrorCode.INVALID_NAME, "an image reference must not contain control characters");
        }
        String rest = text.trim();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = OciNames.requireDigest(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!OciNames.isTag(tag)) {
                throw new AgentException(ErrorCode.INVALID_NAME, "invalid tag: " + OciNames.printable(tag));
            }
        }
        String repository = stripRegistryHost(rest, registryHost);
        OciNames.requireRepository(repository);
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(repository, tag, digest);
    }

    private static String stripRegistryHost(String name, String registryHost) {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return name;
        }
        String first = name.substring(0, slash);
        boolean looksLikeHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        if (!looksLikeHost) {
            return name;
        }
        if (registryHost != null && first.equalsIgnoreCase(registryHost)) {
            return name.substring(slash + 1);
        }
        throw new AgentException(ErrorCode.REGISTRY_NOT_ALLOWED,
                "image names another registry than the configured one: " + OciNames.printable(first));
    }

    /** The digest when pinned, otherwise the tag: what goes into {@code /manifests/<reference>}. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    @Override
    public String toString() {
        return repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
