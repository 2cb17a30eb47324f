package io.cragent.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Tells the observer how many bytes each read brought (bytes pulled from registries). */
final class CountingInputStream extends FilterInputStream {
    private final RegistryObserver observer;

    CountingInputStream(InputStream in, RegistryObserver observer) {
        super(in);
        this.observer = observer;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            observer.bytesPulled(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            observer.bytesPulled(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        observer.bytesPulled(skipped);
        return skipped;
    }
}
