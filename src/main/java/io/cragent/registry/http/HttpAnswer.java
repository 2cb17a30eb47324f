package io.cragent.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A registry's answer with its body still unread. Close it when the body is not consumed, so that the connection
 * goes back to the pool.
 *
 * @param uri the URL that answered, after redirects
 */
public record HttpAnswer(int status, HttpHeaders headers, URI uri, InputStream body) implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_BODY_CAP = 64 * 1024;

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public List<String> headerValues(String name) {
        return headers.allValues(name);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Reads the whole body, refusing more than {@code cap} bytes (a hostile registry can send anything). */
    public byte[] readBody(int cap) {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(cap + 1);
            if (bytes.length > cap) {
                throw new BodyTooLargeException(cap);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code errors[].code} of a registry error body, if the body is one. */
    public Optional<String> registryErrorCode() {
        try {
            JsonNode errors = JSON.readTree(readBody(ERROR_BODY_CAP)).path("errors");
            return errors.isArray() && !errors.isEmpty()
                    ? Optional.of(errors.get(0).path("code").asText()).filter(code -> !code.isEmpty())
                    : Optional.empty();
        } catch (RuntimeException | IOException notJson) {
            return Optional.empty();
        }
    }

    /** At most 512 printable bytes of an error body, for a log line and never for a response. */
    public String errorSnippet() {
        try {
            String text = new String(readBody(ERROR_BODY_CAP), StandardCharsets.UTF_8);
            String cut = text.length() > 512 ? text.substring(0, 512) : text;
            return cut.replaceAll("[\\p{Cntrl}]", " ");
        } catch (RuntimeException e) {
            return "(unreadable body)";
        }
    }

    @Override
    public void close() {
        if (body == null) {
            return; // the JDK's answer for a refused CONNECT has no body
        }
        try {
            body.close();
        } catch (IOException ignored) {
            // nothing to recover: the connection is dropped instead of reused
        }
    }

    /** The registry sent more than we accept for this kind of document. */
    public static final class BodyTooLargeException extends RuntimeException {
        public BodyTooLargeException(int cap) {
            super("body larger than " + cap + " bytes");
        }
    }
}
