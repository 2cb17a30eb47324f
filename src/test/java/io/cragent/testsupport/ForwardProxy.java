package io.cragent.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP forward proxy on 127.0.0.1 recording what passed: {@code CONNECT host:port} tunnels (https) and
 * absolute-URI requests (http, one per connection, forwarded in origin form with {@code Connection: close}).
 */
public final class ForwardProxy implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public ForwardProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** {@code CONNECT host:port} or {@code GET http://host:port/path}, in arrival order. */
    public List<String> requests() {
        return List.copyOf(requests);
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
            requests.add(requestLine[0] + " " + requestLine[1]);
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
            long length = 0;
            for (String line : head.substring(head.indexOf("\r\n") + 2).split("\r\n")) {
                String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim().toLowerCase() : "";
                if (name.equals("content-length")) {
                    length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
                if (!name.isEmpty() && !name.equals("connection") && !name.startsWith("proxy-")) {
                    forwarded.append(line).append("\r\n");
                }
            }
            forwarded.append("Connection: close\r\n\r\n");
            try (Socket upstream = new Socket(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80)) {
                OutputStream out = upstream.getOutputStream();
                out.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(in.readNBytes((int) length));
                out.flush();
                upstream.getInputStream().transferTo(client.getOutputStream());
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
