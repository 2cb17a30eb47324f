package io.cragent.http;

import io.cragent.errors.AgentException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The request target as the client sent it. The HTTP server decodes and normalises the path before routing
 * ({@code /list/%2e%2e/x} is routed as {@code /x}), so, as a processor in front of every API route, this refuses a
 * raw path that is not in normal form once decoded: empty, {@code .} or {@code ..} segments, backslashes, control
 * characters. Nothing is ever decoded and then traversed.
 */
public final class RequestTarget implements Processor {

    @Override
    public void process(Exchange exchange) {
        String path = rawPath(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class));
        if (path == null) {
            return;
        }
        String decoded = decodeOnce(path);
        if (decoded.contains("\\") || decoded.chars().anyMatch(Character::isISOControl) || !isNormal(decoded)) {
            throw AgentException.badRequest("the request path must not hold empty, '.' or '..' segments, "
                    + "backslashes or control characters, plain or percent-encoded");
        }
    }

    /** Like POSIX {@code path.normalize}: no empty, "." or ".." segment; one trailing slash is fine. */
    private static boolean isNormal(String path) {
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || segment.equals("..") || segment.isEmpty() && !last) {
                return false;
            }
        }
        return true;
    }

    /** The path of a raw request URI ({@code CamelHttpUri}), without the query; an absolute URI loses its origin. */
    public static String rawPath(String uri) {
        if (uri == null) {
            return null;
        }
        int query = uri.indexOf('?');
        String path = query >= 0 ? uri.substring(0, query) : uri;
        int authority = path.indexOf("://");
        if (authority >= 0) {
            int slash = path.indexOf('/', authority + 3);
            return slash >= 0 ? path.substring(slash) : "/";
        }
        return path;
    }

    /** Percent-decodes exactly once (UTF-8); a malformed escape is a 400. */
    public static String decodeOnce(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw AgentException.badRequest("malformed percent-encoding in the request");
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw AgentException.badRequest("malformed percent-encoding in the request");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
