package io.cragent.scan.layers;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a file while its layer streams and keeps only a small summary of it (a jar's coordinates, a binary's
 * hash): for files too large or too many to hold, so that memory does not grow with the image.
 */
public interface FileSummarizer {

    /** The key its summaries are kept under; unique among summarizers. */
    String name();

    boolean wants(String path);

    /**
     * The summary of one file, or null for none. {@code content} ends with the file; reading it only partly is
     * fine, and closing it is not needed. The summary must not hold the stream.
     */
    Object summarize(String path, InputStream content, long size) throws IOException;

    /** How a summarizer reads one file. */
    @FunctionalInterface
    interface Reader {
        Object read(String path, InputStream content, long size) throws IOException;
    }

    /** A summarizer from its parts. */
    static FileSummarizer of(String name, java.util.function.Predicate<String> wants, Reader reader) {
        return new FileSummarizer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean wants(String path) {
                return wants.test(path);
            }

            @Override
            public Object summarize(String path, InputStream content, long size) throws IOException {
                return reader.read(path, content, size);
            }
        };
    }
}
