package io.cragent.scan.apps.node;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Yarn berry descriptors ({@code lodash@npm:^4.17.21}): the lockfile headers list several, and the reference
 * also files each entry under the protocol-less spellings that package.json ranges use.
 */
final class YarnDescriptors {
    private static final Pattern DESCRIPTOR = Pattern.compile("^(?:@([^/]+?)/)?([^@/]+?)(?:@(.+))?$");
    private static final Pattern RANGE =
            Pattern.compile("^([^#:]*:)?((?:(?!::)[^#])*)(?:#((?:(?!::).)*))?(?:::(.*))?$");
    private static final java.util.List<String> GIT_PROTOCOLS =
            java.util.List.of("git:", "git+ssh:", "git+http:", "git+https:", "github:");
    private static final Pattern SEPARATOR = Pattern.compile(" *, *");

    /** A parsed descriptor; {@code range} is {@code "unknown"} when none was given. */
    record Descriptor(String ident, String range) {
    }

    private YarnDescriptors() {
    }

    static Descriptor parse(String descriptor) throws LockfileException {
        Matcher m = DESCRIPTOR.matcher(descriptor);
        if (!m.matches() || "unknown".equals(m.group(3)) || m.group(1) != null && m.group(1).startsWith("@")) {
            throw new LockfileException("yarn.lock has an invalid descriptor: " + descriptor);
        }
        String ident = (m.group(1) == null ? "" : "@" + m.group(1) + "/") + m.group(2);
        return new Descriptor(ident, m.group(3) == null ? "unknown" : m.group(3));
    }

    /** Every key an entry header ({@code "a@npm:^1, a@npm:^1.2"}) is looked up by. */
    static Set<String> keys(String header) throws LockfileException {
        Set<String> keys = new LinkedHashSet<>();
        for (String raw : SEPARATOR.split(header)) {
            keys.add(raw);
            Descriptor d = parse(raw);
            Matcher r = RANGE.matcher(d.range());
            if (!r.matches()) {
                throw new LockfileException("yarn.lock has an invalid range: " + raw);
            }
            String protocol = r.group(1);
            String source = r.group(3) != null ? decode(r.group(2)) : null;
            String selector = decode(r.group(3) != null ? r.group(3) : r.group(2));
            String hashSelector = selector.isEmpty() ? "" : "#" + selector;
            if (protocol == null) {
                keys.add(source != null ? d.ident() + "@" + source + "#" + selector : d.ident() + "@" + selector);
            } else if (protocol.equals("npm:") || protocol.equals("file:")) {
                keys.add(d.ident() + "@" + selector);
                keys.add(d.ident() + "@" + protocol + selector);
            } else if (GIT_PROTOCOLS.contains(protocol)) {
                keys.add(source != null ? d.ident() + "@" + protocol + source + hashSelector
                        : d.ident() + "@" + protocol + selector);
            } else if (protocol.equals("patch:")) {
                keys.add(source != null && selector.startsWith("builtin") ? source
                        : d.ident() + "@" + protocol + source + hashSelector);
            } else {
                keys.add(d.ident() + "@" + protocol + selector);
            }
        }
        return keys;
    }

    /** JavaScript's decodeURIComponent: percent escapes only ('+' stays '+'). */
    static String decode(String text) throws LockfileException {
        if (text.indexOf('%') < 0) {
            return text;
        }
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new LockfileException("yarn.lock has a malformed escape in " + text);
        }
    }
}
