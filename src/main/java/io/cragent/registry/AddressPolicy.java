package io.cragent.registry;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Addresses the agent never calls, whoever names them (a registryBase, a callback URL): link-local (cloud metadata
 * at 169.254.169.254), AWS's IPv6 metadata address {@code fd00:ec2::254}, multicast, the unspecified address, and
 * loopback unless allowed; also these addresses inside IPv4-compatible and NAT64 IPv6 forms. Host names are
 * resolved and every address checked. Numeric hosts that are not a plain dotted quad ({@code 2852039166},
 * {@code 0x7f.1}, {@code 0177.0.0.1}, {@code 127.1}) are refused outright: resolvers disagree about what they mean.
 * Private ranges are fine: that is where customers' registries and broker clients live.
 */
public final class AddressPolicy {
    private static final Pattern NUMERIC_HOST = Pattern.compile("(?i)[0-9a-fx.]+");
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(?i)0x[0-9a-f]*|[0-9]+");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final byte[] AWS_METADATA_V6 = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
    private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    private AddressPolicy() {
    }

    /**
     * Why {@code host} must not be called, or null when it may. A host that does not resolve is allowed here: the
     * call itself then reports it unreachable.
     */
    public static String refusal(String host, boolean allowLoopback) {
        if (host == null || host.isBlank()) {
            return "not a valid host name";
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (looksNumeric(bare) && !DOTTED_QUAD.matcher(bare).matches()) {
            return "a numeric host that is not a plain dotted quad";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
        for (InetAddress address : addresses) {
            if (forbidden(address, allowLoopback) || forbidden(embeddedIpv4(address), allowLoopback)) {
                return "it resolves to an address the agent does not call (" + address.getHostAddress() + ")";
            }
        }
        return null;
    }

    private static boolean looksNumeric(String host) {
        return NUMERIC_HOST.matcher(host).matches()
                && Arrays.stream(host.split("\\.", -1)).allMatch(label -> NUMERIC_LABEL.matcher(label).matches());
    }

    private static boolean forbidden(InetAddress address, boolean allowLoopback) {
        if (address == null) {
            return false;
        }
        return address.isLinkLocalAddress() || address.isMulticastAddress() || address.isAnyLocalAddress()
                || address.isLoopbackAddress() && !allowLoopback
                || Arrays.equals(address.getAddress(), AWS_METADATA_V6);
    }

    /** The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}) or NAT64 ({@code 64:ff9b::a.b.c.d}) one. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return null;
        }
        byte[] bytes = v6.getAddress();
        boolean compatible = v6.isIPv4CompatibleAddress()
                || Arrays.equals(Arrays.copyOf(bytes, NAT64_PREFIX.length), NAT64_PREFIX);
        if (!compatible) {
            return null;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
