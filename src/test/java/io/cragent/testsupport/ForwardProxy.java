package io.cragent.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP forward proxy on 127.0.0.1 recording what passed: {@code CONNECT host:port} tunnels (https) and
 * absolute-URI requests (http, one per connection, forwarded in origin form with {@code Connection: close}).
 * Optionally it requires Basic credentials as enterprise proxies do: without the right {@code Proxy-Authorization}
 * a request gets {@code 407} with {@code Proxy-Authenticate: Basic realm="..."} and the connection is closed.
 */
public final class ForwardProxy implements AutoCloseable {
    public static final String REALM = "cr-agent test proxy";

    /** One request as the proxy saw it: its line, its {@code Proxy-Authorization} (or null), the status it gave. */
    public record Seen(String request, String proxyAuthorization, int status) {
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** The expected {@code Proxy-Authorization} value; null: none required. */
    private final String required;

    public ForwardProxy() throws IOException {
        this(null);
    }

    private ForwardProxy(String required) throws IOException {
        this.required = required;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    /** A proxy that answers 407 unless a request carries {@code Proxy-Authorization: Basic base64(user:password)}. */
    public static ForwardProxy requiring(String user, String password) throws IOException {
        return new ForwardProxy("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** {@code http://user:password@127.0.0.1:port}, each percent-encoded as a URL's user info must be. */
    public String url(String user, String password) {
        return "http://" + encode(user) + ":" + encode(password) + "@127.0.0.1:" + server.getLocalPort();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code CONNECT host:port} or {@code GET http://host:port/path}, in arrival order. */
    public List<String> requests() {
        return seen.stream().map(Seen::request).toList();
    }

    /** Every request with what it carried and got, in arrival order. */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.submit(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(30_000);
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            String authorization = header(head, "proxy-authorization");
            boolean allowed = required == null || required.equals(authorization);
            seen.add(new Seen(requestLine[0] + " " + requestLine[1], authorization, allowed ? 200 : 407));
            if (!allowed) {
                client.getOutputStream().write(("HTTP/1.1 407 Proxy Authentication Required\r\n"
                        + "Proxy-Authenticate: Basic realm=\"" + REALM + "\"\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                return;
            }
            if (requestLine[0].equals("CONNECT")) {
                String[] target = requestLine[1].split(":");
                try (Socket upstream = new Socket(target[0], Integer.parseInt(target[1]))) {
                    client.getOutputStream().write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                    pipeBothWays(client, upstream);
                }
                return;
            }
            URI uri = URI.create(requestLine[1]);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            StringBuilder forwarded = new StringBuilder(requestLine[0] + " " + path
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n");
            for (String line : head.substring(head.indexOf("\r\n") + 2).split("\r\n")) {
                String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim().toLowerCase() : "";
                if (!name.isEmpty() && !name.equals("connection") && !name.startsWith("proxy-")) {
                    forwarded.append(line).append("\r\n");
                }
            }
            forwarded.append("Connection: close\r\n\r\n");
            try (Socket upstream = new Socket(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80)) {
                OutputStream out = upstream.getOutputStream();
                out.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                // The body as it comes, with a length or chunked; the origin closes after its answer.
                pipeBothWays(client, upstream);
            }
        } catch (IOException | RuntimeException e) {
            // the client sees the connection close
        }
    }

    private void pipeBothWays(Socket client, Socket upstream) throws IOException {
        threads.submit(() -> {
            try {
                client.getInputStream().transferTo(upstream.getOutputStream());
                upstream.shutdownOutput();
            } catch (IOException ignored) {
                // either side closed
            }
        });
        upstream.getInputStream().transferTo(client.getOutputStream());
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the request head");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            if (head.size() > 64 * 1024) {
                throw new IOException("request head too large");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
