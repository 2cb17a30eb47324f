package io.cragent.scan.layers;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads its source on a thread of its own, a bounded number of chunks ahead of the reader. A layer's download and
 * digest check then run beside its decompression and tar walk instead of taking turns with them: on two cores
 * that is most of a cold scan's time. A failure of the source (a broken body, a wrong digest) reaches the reader
 * at the point where it happened; closing the reader stops the thread and closes the source.
 */
public final class ReadAheadInputStream extends InputStream {
    private static final byte[] END = new byte[0];

    private final InputStream source;
    private final BlockingQueue<Object> chunks;
    private final Thread reader;
    private byte[] current = new byte[0];
    private int position;
    private boolean finished;
    private volatile boolean closed;

    /**
     * @param chunkSize bytes asked of the source per read
     * @param ahead     chunks held at most; memory is bounded by {@code chunkSize * (ahead + 1)}
     */
    public ReadAheadInputStream(InputStream source, int chunkSize, int ahead) {
        this.source = source;
        this.chunks = new ArrayBlockingQueue<>(ahead);
        this.reader = new Thread(() -> fill(chunkSize), "layer-read-ahead");
        reader.setDaemon(true);
        reader.start();
    }

    private void fill(int chunkSize) {
        try {
            while (!closed) {
                byte[] buffer = new byte[chunkSize];
                int filled = 0;
                try {
                    int n = 0;
                    while (filled < chunkSize && (n = source.read(buffer, filled, chunkSize - filled)) > 0) {
                        filled += n;
                    }
                    if (n < 0 || filled < chunkSize) {
                        handOver(buffer, filled);
                        chunks.put(END);
                        return;
                    }
                } catch (IOException | RuntimeException e) {
                    // The bytes before the failure first, as a direct reader would have seen them.
                    handOver(buffer, filled);
                    chunks.put(e);
                    return;
                }
                chunks.put(buffer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handOver(byte[] buffer, int length) throws InterruptedException {
        if (length > 0) {
            chunks.put(Arrays.copyOf(buffer, length));
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        if (position == current.length && !nextChunk()) {
            return -1;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    private boolean nextChunk() throws IOException {
        if (finished) {
            return false;
        }
        Object next;
        try {
            next = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for layer bytes");
        }
        if (next == END) {
            finished = true;
            return false;
        }
        if (next instanceof IOException failure) {
            finished = true;
            throw failure;
        }
        if (next instanceof RuntimeException failure) {
            finished = true;
            throw failure;
        }
        current = (byte[]) next;
        position = 0;
        return true;
    }

    @Override
    public int available() {
        return current.length - position;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        reader.interrupt();
        chunks.clear();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
