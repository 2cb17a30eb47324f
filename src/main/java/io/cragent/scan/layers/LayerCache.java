package io.cragent.scan.layers;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * What a layer contributed to a scan, kept by the layer's digest, so that a base layer shared by many images is
 * downloaded and analysed once. A digest names the bytes, so the result holds for any image and any registry that
 * lists it; only layers whose digest the source checks while streaming are kept (a registry's blobs). Scans that
 * want the same layer at once wait for the one reading it, and read it themselves if that one fails, or is still
 * reading after {@link #DEFAULT_WAIT}: its failure or its slow registry (another registry, other credentials) is
 * not theirs. Bounded by an estimate of the bytes held, least recently
 * used first out. A cache belongs to one {@link LayerReader} setup: the contents depend on what it keeps.
 */
public final class LayerCache {
    private static final Pattern DIGEST = Pattern.compile("sha(256:[0-9a-f]{64}|512:[0-9a-f]{128})");
    /** Held per path, besides the path's characters and the kept bytes: map entries and small objects. */
    private static final long ENTRY_OVERHEAD = 96;
    /** A summary's size is not known; jar and module summaries are a few hundred bytes. */
    private static final long SUMMARY_ESTIMATE = 1024;

    /** What reads a layer when the cache does not have it. */
    @FunctionalInterface
    public interface Loader {
        LayerContents load() throws IOException;
    }

    /** How long a scan waits for another reading the same layer before reading it itself. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final long capacityBytes;
    private final Duration waitForOther;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, CompletableFuture<LayerContents>> loading = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private long heldBytes;

    private record Entry(LayerContents contents, long bytes) {
    }

    /** @param capacityBytes estimated bytes held at most; 0 keeps nothing */
    public LayerCache(long capacityBytes) {
        this(capacityBytes, DEFAULT_WAIT);
    }

    LayerCache(long capacityBytes, Duration waitForOther) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("a layer cache's capacity cannot be negative");
        }
        this.capacityBytes = capacityBytes;
        this.waitForOther = waitForOther;
    }

    public static LayerCache disabled() {
        return new LayerCache(0);
    }

    public boolean enabled() {
        return capacityBytes > 0;
    }

    /** The contents for {@code digest}: kept, being read by another scan, or read now by {@code loader}. */
    public LayerContents get(String digest, Loader loader) throws IOException {
        if (!enabled() || digest == null || !DIGEST.matcher(digest).matches()) {
            return loader.load();
        }
        LayerContents kept = lookup(digest);
        if (kept != null) {
            hits.incrementAndGet();
            return kept;
        }
        CompletableFuture<LayerContents> mine = new CompletableFuture<>();
        CompletableFuture<LayerContents> theirs = loading.putIfAbsent(digest, mine);
        if (theirs != null) {
            LayerContents shared = awaitOther(theirs);
            if (shared != null) {
                hits.incrementAndGet();
                return shared;
            }
            misses.incrementAndGet();
            return loader.load();
        }
        misses.incrementAndGet();
        try {
            LayerContents contents = loader.load();
            keep(digest, contents);
            mine.complete(contents);
            return contents;
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(digest, mine);
        }
    }

    /** The other scan's result, or null when it failed or is still reading. */
    private LayerContents awaitOther(CompletableFuture<LayerContents> theirs) throws InterruptedIOException {
        try {
            return theirs.get(waitForOther.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while another scan read the same layer");
        }
    }

    private synchronized LayerContents lookup(String digest) {
        Entry entry = entries.get(digest);
        return entry == null ? null : entry.contents();
    }

    private synchronized void keep(String digest, LayerContents contents) {
        long bytes = estimate(digest, contents);
        // One layer may not push out everything else: a big package database is read again instead.
        if (bytes > capacityBytes / 4) {
            return;
        }
        Entry previous = entries.put(digest, new Entry(contents, bytes));
        heldBytes += bytes - (previous == null ? 0 : previous.bytes());
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (heldBytes > capacityBytes && oldestFirst.hasNext()) {
            heldBytes -= oldestFirst.next().bytes();
            oldestFirst.remove();
        }
    }

    static long estimate(String digest, LayerContents contents) {
        long bytes = ENTRY_OVERHEAD + 2L * digest.length() + contents.keptBytes;
        bytes += paths(contents.files) + paths(contents.symlinks) + paths(contents.summaries)
                + paths(contents.pendingHardlinks);
        for (String link : contents.symlinks.values()) {
            bytes += 2L * link.length();
        }
        for (Map<String, Object> summary : contents.summaries.values()) {
            bytes += summary.size() * SUMMARY_ESTIMATE;
        }
        for (Iterable<String> strings : java.util.List.of(contents.whiteouts, contents.opaqueDirs, contents.shadowed,
                contents.warnings, contents.pendingHardlinks.values())) {
            for (String s : strings) {
                bytes += ENTRY_OVERHEAD + 2L * s.length();
            }
        }
        return bytes;
    }

    private static long paths(Map<String, ?> byPath) {
        long bytes = 0;
        for (String path : byPath.keySet()) {
            bytes += ENTRY_OVERHEAD + 2L * path.length();
        }
        return bytes;
    }

    /** Layers answered without reading them. */
    public long hits() {
        return hits.get();
    }

    /** Layers read (cacheable ones only). */
    public long misses() {
        return misses.get();
    }

    public synchronized long heldBytes() {
        return heldBytes;
    }

    public synchronized int size() {
        return entries.size();
    }
}
