package io.cragent.agent.callbacks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The callback spool: one file per callback, written (by the file component, under a temporary name then renamed)
 * before any attempt to send it, and deleted once delivered. A file is one JSON line of delivery data (URL,
 * headers, delivery id) and then the body as sent. Names sort in creation order:
 * {@code <millis>-<sequence>-<jobId>-<result|done>.callback}. It is also the spool consumer's filter: a file is
 * taken when its backoff has passed, and a job's done callback only once none of its results is left.
 */
public final class CallbackSpool implements GenericFileFilter<File> {
    public static final String SUFFIX = ".callback";
    private static final Pattern NAME = Pattern.compile(
            "\\d{13}-\\d{9}-(?<job>[0-9a-f-]{36})-(?<kind>result|done)" + Pattern.quote(SUFFIX));
    private static final String FAILED_DIR = "failed";

    private final ObjectMapper json = new ObjectMapper();
    private final Path directory;
    private final DeliveryBackoff backoff;
    private final AtomicLong sequence = new AtomicLong();

    public CallbackSpool(Path directory, DeliveryBackoff backoff) {
        this.directory = directory;
        this.backoff = backoff;
        try {
            Files.createDirectories(directory.resolve(FAILED_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the callback spool " + directory, e);
        }
    }

    /** One spooled callback as read back. */
    public record Spooled(String url, Map<String, String> headers, String deliveryId, byte[] body) {
    }

    public Path directory() {
        return directory;
    }

    /** Prepares the message for the file producer: the file's name and its content. */
    public void prepare(Exchange exchange) {
        Callback callback = exchange.getMessage().getBody(Callback.class);
        String name = String.format("%013d-%09d-%s-%s%s", System.currentTimeMillis(),
                sequence.incrementAndGet() % 1_000_000_000L, callback.jobId(), callback.done() ? "done" : "result",
                SUFFIX);
        ObjectNode meta = json.createObjectNode();
        meta.put("url", callback.url());
        meta.put("deliveryId", callback.deliveryId());
        meta.set("headers", json.valueToTree(callback.headers()));
        ByteArrayOutputStream content = new ByteArrayOutputStream(callback.body().length + 512);
        try {
            content.write(json.writeValueAsBytes(meta));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        content.write('\n');
        content.writeBytes(callback.body());
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.FILE_NAME, name);
        exchange.getMessage().setBody(content.toByteArray());
    }

    public Spooled read(File file) {
        try (InputStream in = Files.newInputStream(file.toPath())) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            ObjectNode meta = (ObjectNode) json.readTree(line.toByteArray());
            Map<String, String> headers = new LinkedHashMap<>();
            meta.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            return new Spooled(meta.path("url").asText(), headers, meta.path("deliveryId").asText(), in.readAllBytes());
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("unreadable spool file " + file.getName(), e);
        }
    }

    /** Moves a callback that can never be delivered aside, so that it stops blocking and can be inspected. */
    public void setAside(File file) {
        try {
            Files.move(file.toPath(), directory.resolve(FAILED_DIR).resolve(file.getName()),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + file.getName() + " aside", e);
        }
        backoff.forget(file.getName());
    }

    public void delivered(File file) {
        try {
            Files.deleteIfExists(file.toPath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete delivered " + file.getName(), e);
        }
        backoff.forget(file.getName());
    }

    /** Callbacks waiting in the spool (not those set aside). */
    public int pending() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            int count = 0;
            for (Path ignored : files) {
                count++;
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        if (file.isDirectory()) {
            return false;
        }
        Matcher name = NAME.matcher(file.getFileName());
        if (!name.matches() || !backoff.isDue(file.getFileName())) {
            return false;
        }
        return name.group("kind").equals("result") || !hasResults(name.group("job"));
    }

    private boolean hasResults(String jobId) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*-" + jobId + "-result" + SUFFIX)) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            return true;
        }
    }
}
