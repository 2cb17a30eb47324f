package io.cragent.scan.layers;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerCacheTest {
    private static final String BASE = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);
    private static final String THIRD = "sha256:" + "c".repeat(64);

    private static LayerContents contents(String path, int bytes) {
        LayerContents contents = new LayerContents();
        contents.files.put(path, new byte[bytes]);
        contents.keptBytes = bytes;
        return contents;
    }

    /** Inside a loader, which may throw only IOException. */
    private static void await(CountDownLatch latch) throws IOException {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
    }

    @Test
    void aLayerIsReadOnceThenAnsweredByDigest() throws IOException {
        LayerCache cache = new LayerCache(1 << 20);
        AtomicInteger reads = new AtomicInteger();
        LayerContents first = cache.get(BASE, () -> {
            reads.incrementAndGet();
            return contents("/var/lib/dpkg/status", 1000);
        });
        LayerContents second = cache.get(BASE, () -> {
            reads.incrementAndGet();
            return contents("/other", 1);
        });
        assertThat(second).isSameAs(first);
        assertThat(reads).hasValue(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.heldBytes()).isGreaterThan(1000).isEqualTo(LayerCache.estimate(BASE, first));
    }

    @Test
    void withoutADigestOrWhenOffEveryScanReads() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        LayerCache.Loader loader = () -> {
            reads.incrementAndGet();
            return contents("/f", 10);
        };
        LayerCache cache = new LayerCache(1 << 20);
        cache.get(null, loader);
        cache.get(null, loader);
        cache.get("layers/abc/layer.tar", loader);
        cache.get("sha256:short", loader);
        cache.get("sha256:" + "A".repeat(64), loader);
        LayerCache off = LayerCache.disabled();
        off.get(BASE, loader);
        off.get(BASE, loader);
        assertThat(reads).hasValue(7);
        assertThat(cache.size()).isZero();
        assertThat(cache.hits() + cache.misses() + off.hits() + off.misses()).isZero();
        assertThat(off.enabled()).isFalse();
        assertThatThrownBy(() -> new LayerCache(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aScanWantingALayerBeingReadWaitsForItInsteadOfReadingItAgain() throws Exception {
        LayerCache cache = new LayerCache(1 << 20);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<LayerContents> first = pool.submit(() -> cache.get(BASE, () -> {
                reads.incrementAndGet();
                reading.countDown();
                await(release);
                return contents("/f", 10);
            }));
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            Future<LayerContents> second = pool.submit(() -> cache.get(BASE, () -> {
                reads.incrementAndGet();
                return contents("/g", 10);
            }));
            Thread.sleep(100);
            assertThat(second).isNotDone();
            release.countDown();
            assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
            assertThat(reads).hasValue(1);
            assertThat(cache.hits()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherScansFailureIsNotPassedOnTheWaitingScanReadsTheLayerItself() throws Exception {
        LayerCache cache = new LayerCache(1 << 20);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<LayerContents> failing = pool.submit(() -> cache.get(BASE, () -> {
                reading.countDown();
                await(fail);
                throw new IOException("401 from the other registry");
            }));
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<LayerContents> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return cache.get(BASE, () -> contents("/mine", 10));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, pool);
            Thread.sleep(100);
            fail.countDown();
            assertThat(waiting.get(10, TimeUnit.SECONDS).files()).containsOnlyKeys("/mine");
            assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("401 from the other registry");
            // The failure kept nothing; the waiting scan's own read is not kept either (it was not the first).
            assertThat(cache.hits()).isZero();
            LayerContents next = cache.get(BASE, () -> contents("/next", 10));
            assertThat(next.files()).containsOnlyKeys("/next");
            assertThat(cache.get(BASE, () -> contents("/never", 1))).isSameAs(next);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aScanDoesNotWaitLongerThanItsBoundForASlowRegistryReadingTheSameLayer() throws Exception {
        LayerCache cache = new LayerCache(1 << 20, java.time.Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch reading = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            Future<LayerContents> stalled = pool.submit(() -> cache.get(BASE, () -> {
                reading.countDown();
                await(release);
                return contents("/slow", 10);
            }));
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();
            LayerContents mine = cache.get(BASE, () -> contents("/mine", 10));
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(mine.files()).containsOnlyKeys("/mine");
            assertThat(waitedMillis).isBetween(150L, 5_000L);
            release.countDown();
            assertThat(stalled.get(10, TimeUnit.SECONDS).files()).containsOnlyKeys("/slow");
            assertThat(cache.get(BASE, () -> contents("/never", 1)).files()).containsOnlyKeys("/slow");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLeastRecentlyUsedLayerGoesFirstAndTheEstimateStaysUnderTheBound() throws IOException {
        long layer = LayerCache.estimate(BASE, contents("/f", 10_000));
        LayerCache cache = new LayerCache(layer * 4 + layer / 2);
        cache.get(BASE, () -> contents("/f", 10_000));
        cache.get(OTHER, () -> contents("/f", 10_000));
        cache.get(THIRD, () -> contents("/f", 10_000));
        cache.get(BASE, () -> contents("/unused", 1));
        String fourth = "sha256:" + "d".repeat(64);
        String fifth = "sha256:" + "e".repeat(64);
        cache.get(fourth, () -> contents("/f", 10_000));
        cache.get(fifth, () -> contents("/f", 10_000));
        assertThat(cache.size()).isEqualTo(4);
        assertThat(cache.heldBytes()).isLessThanOrEqualTo(layer * 4 + layer / 2);
        AtomicInteger reads = new AtomicInteger();
        cache.get(BASE, () -> {
            reads.incrementAndGet();
            return contents("/f", 10_000);
        });
        assertThat(reads).as("the base layer, used again, stayed").hasValue(0);
        cache.get(OTHER, () -> {
            reads.incrementAndGet();
            return contents("/f", 10_000);
        });
        assertThat(reads).as("the least recently used layer went out").hasValue(1);
    }

    @Test
    void aLayerOverAQuarterOfTheBoundIsReadAgainRatherThanPushingOutTheRest() throws IOException {
        LayerCache cache = new LayerCache(100_000);
        cache.get(BASE, () -> contents("/small", 1_000));
        cache.get(OTHER, () -> contents("/var/lib/rpm/Packages", 30_000));
        assertThat(cache.size()).isEqualTo(1);
        AtomicInteger reads = new AtomicInteger();
        cache.get(OTHER, () -> {
            reads.incrementAndGet();
            return contents("/var/lib/rpm/Packages", 30_000);
        });
        assertThat(reads).hasValue(1);
        assertThat(cache.get(BASE, () -> contents("/never", 1)).files()).containsOnlyKeys("/small");
    }

    @Test
    void theEstimateCountsPathsLinksSummariesAndWhiteouts() {
        LayerContents bare = contents("/f", 100);
        LayerContents rich = contents("/f", 100);
        rich.symlinks.put("/lib", "usr/lib");
        rich.summaries.put("/app.jar", java.util.Map.of("jar", "summary"));
        rich.whiteouts.add("/etc/old");
        rich.warnings.add("skipped something");
        assertThat(LayerCache.estimate(BASE, rich)).isGreaterThan(LayerCache.estimate(BASE, bare) + 1024);
    }
}
