package io.cragent.registry.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an {@link InputStream} that fails when the server sends nothing for {@code idle}: the JDK
 * client's own timeout ends when the headers arrive, so a stalled body would otherwise block a reader forever.
 * It asks for one chunk at a time, so a slow reader holds at most one chunk in memory.
 */
final class IdleTimeoutBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private final long idleNanos;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> chunk = List.<ByteBuffer>of().iterator();
    private ByteBuffer current;
    private boolean finished;

    IdleTimeoutBody(Duration idle) {
        this.idleNanos = idle.toNanos();
    }

    /** Available as soon as the headers are: the caller reads while the body arrives. */
    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedStage(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        arrivals.add(buffers);
    }

    @Override
    public void onError(Throwable error) {
        arrivals.add(error);
    }

    @Override
    public void onComplete() {
        arrivals.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (chunk.hasNext()) {
                current = chunk.next();
                continue;
            }
            if (finished || !nextChunk()) {
                return -1;
            }
        }
        int n = Math.min(length, current.remaining());
        current.get(target, offset, n);
        return n;
    }

    @SuppressWarnings("unchecked")
    private boolean nextChunk() throws IOException {
        Object item;
        try {
            item = arrivals.poll(idleNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while reading a registry response", e);
        }
        if (item == null) {
            close();
            throw new HttpTimeoutException("the registry sent nothing for " + TimeUnit.NANOSECONDS.toSeconds(idleNanos) + " s");
        }
        if (item == END) {
            finished = true;
            return false;
        }
        if (item instanceof Throwable error) {
            finished = true;
            throw error instanceof IOException io ? io : new IOException(error);
        }
        chunk = ((List<ByteBuffer>) item).iterator();
        subscription.request(1);
        return true;
    }

    @Override
    public void close() {
        if (!finished) {
            finished = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
