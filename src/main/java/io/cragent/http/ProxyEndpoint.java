package io.cragent.http;

import io.cragent.logging.Redactor;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One proxy of {@code HTTPS_PROXY} or {@code HTTP_PROXY}: where it is, and the Basic credentials of its URL
 * (percent-decoded, remembered by the {@link Redactor}), if any.
 *
 * @param url           {@code http://host:port}, never with the credentials: safe to print
 * @param setting       the variable it came from, for messages
 * @param credentials   null without credentials
 * @param authorization {@code Basic base64(user:password)}, null without credentials
 */
record ProxyEndpoint(URI url, String setting, Proxy proxy, PasswordAuthentication credentials, String authorization) {

    /** Null for a blank setting. */
    static ProxyEndpoint parse(String value, String setting) {
        if (value == null || value.isBlank()) {
            return null;
        }
        URI uri = ProxyRules.parseProxyUrl(value, setting);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(setting + " has no host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        URI display = URI.create("http://" + uri.getHost() + ":" + port);
        Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(), port));
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return new ProxyEndpoint(display, setting, proxy, null, null);
        }
        Redactor.remember(userInfo);
        int colon = userInfo.indexOf(':');
        String user = percentDecode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String rawPassword = colon < 0 ? "" : userInfo.substring(colon + 1);
        String password = percentDecode(rawPassword);
        Redactor.remember(rawPassword);
        Redactor.remember(password);
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Redactor.remember(token);
        return new ProxyEndpoint(display, setting, proxy, new PasswordAuthentication(user, password.toCharArray()),
                "Basic " + token);
    }

    /** RFC 3986 percent-decoding as UTF-8; a {@code +} stays a plus (unlike form decoding). */
    static String percentDecode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length()) {
            if (raw.charAt(i) == '%' && isHex(raw, i + 1) && isHex(raw, i + 2)) {
                out.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 3;
            } else {
                int codePoint = raw.codePointAt(i);
                out.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
    }

    boolean isAt(String host, int port) {
        InetSocketAddress address = (InetSocketAddress) proxy.address();
        return address.getPort() == port && address.getHostString().equalsIgnoreCase(host);
    }

    /** Without the credentials. */
    @Override
    public String toString() {
        return url + (credentials == null ? "" : " (with credentials)");
    }
}
