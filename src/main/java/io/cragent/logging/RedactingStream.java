package io.cragent.logging;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A text stream whose every line goes through the {@link Redactor} before it reaches the stream below, for a
 * process that logs without Log4j's configuration (the {@code scan} command's simple logger writes to
 * {@code System.err}). Whole lines are redacted, so a secret is masked however the writer split it; a line
 * without its end waits for it, or for an explicit {@link PrintStream#flush()}.
 */
public final class RedactingStream extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    private RedactingStream(PrintStream target) {
        this.target = target;
    }

    /**
     * {@code target} behind redaction, flushed at every line end (text passes through as UTF-8 and reaches
     * {@code target} as characters, which it encodes as before); itself if it is already redacted.
     */
    public static PrintStream over(PrintStream target) {
        if (target instanceof Redacted) {
            return target;
        }
        return new Redacted(new RedactingStream(target));
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int from = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                line.write(bytes, from, i + 1 - from);
                emit();
                from = i + 1;
            }
        }
        line.write(bytes, from, offset + length - from);
    }

    @Override
    public synchronized void flush() {
        emit();
    }

    @Override
    public void close() {
        flush();
    }

    private void emit() {
        if (line.size() > 0) {
            target.print(Redactor.redact(line.toString(StandardCharsets.UTF_8)));
            target.flush();
            line.reset();
        }
    }

    /** Marks a stream as already redacting. No auto-flush: that would flush every piece of a line on its own. */
    private static final class Redacted extends PrintStream {
        Redacted(RedactingStream out) {
            super(out, false, StandardCharsets.UTF_8);
        }
    }
}
