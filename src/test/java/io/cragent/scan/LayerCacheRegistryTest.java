package io.cragent.scan;

import io.cragent.credentials.RegistryCredentials;
import io.cragent.credentials.RegistryType;
import io.cragent.registry.ImageReference;
import io.cragent.registry.RegistryClient;
import io.cragent.registry.RegistryClients;
import io.cragent.registry.RegistryEndpoint;
import io.cragent.registry.RegistrySettings;
import io.cragent.registry.http.HttpSettings;
import io.cragent.registry.manifest.Platform;
import io.cragent.scan.apps.AppAnalyzers;
import io.cragent.scan.layers.LayerCache;
import io.cragent.scan.os.OsPackages;
import io.cragent.scan.source.RegistrySource;
import io.cragent.testsupport.DistributionRegistry;
import io.cragent.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layer cache against the real CNCF registry: two images over one base layer, the second scanned after the
 * first pulls only its own layer and reports exactly what a scanner without a cache reports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayerCacheRegistryTest {
    private DistributionRegistry registry;
    private RegistryClient client;
    private TestImages.PushedImage web;
    private TestImages.PushedImage worker;

    @BeforeAll
    void start() {
        registry = DistributionRegistry.start(DistributionRegistry.Mode.PLAIN_HTPASSWD);
        String status = TestImages.ubuntuDpkgStatus();
        web = TestImages.pushImage(registry, "team/web", "1.0", TestImages.Format.OCI,
                TestImages.ImageSpec.of(TestImages.Platform.LINUX_AMD64).withFile("var/lib/dpkg/status", status)
                        .withFile("srv/web.conf", "listen 80\n"));
        worker = TestImages.pushImage(registry, "team/worker", "2.0", TestImages.Format.OCI,
                TestImages.ImageSpec.of(TestImages.Platform.LINUX_AMD64).withFile("var/lib/dpkg/status", status)
                        .withFile("srv/worker.conf", "threads 4\n"));
        RegistrySettings d = RegistrySettings.defaults();
        HttpSettings http = new HttpSettings(d.http().connectTimeout(), d.http().requestTimeout(), d.http().idleTimeout(),
                1, java.time.Duration.ofMillis(20), d.http().maxRetryAfter(), 10, null);
        client = new RegistryClients(new RegistrySettings(http, 100, 10, d.manifestCap(), d.configCap(), 4,
                java.util.Set.of(registry.hostPort()), true, d.realmHosts())).forCredentials(RegistryCredentials.basic(
                RegistryType.DOCKER_HUB, registry.username(), registry.password(), registry.hostPort()),
                RegistryEndpoint.PathMeaning.NAMESPACE);
    }

    @AfterAll
    void stop() {
        registry.close();
    }

    private ScanReport scan(ImageScanner scanner, TestImages.PushedImage image) throws IOException {
        try (RegistrySource source = new RegistrySource(client, new ImageReference(image.repository(), image.tag(), null),
                Platform.LINUX_AMD64, registry.hostPort() + "/" + image.repository())) {
            return scanner.scan(source);
        }
    }

    private static ImageScanner scanner(LayerCache cache) {
        return new ImageScanner(ScanSettings.defaults(), OsPackages.defaults(), AppAnalyzers.defaults(), cache);
    }

    @Test
    void theSharedBaseLayerIsPulledAndAnalysedOnceAndTheResultIsUnchanged() throws IOException {
        assertThat(web.layerDigests().get(0)).as("the two images share their base layer")
                .isEqualTo(worker.layerDigests().get(0));
        assertThat(web.layerDigests().get(1)).isNotEqualTo(worker.layerDigests().get(1));
        LayerCache cache = new LayerCache(32L << 20);
        ImageScanner cached = scanner(cache);

        ScanReport first = scan(cached, web);
        assertThat(first.bytesStreamed()).isEqualTo(web.layers().get(0).size() + web.layers().get(1).size());
        ScanReport second = scan(cached, worker);
        assertThat(second.bytesStreamed()).as("only the worker's own layer came from the registry")
                .isEqualTo(worker.layers().get(1).size());
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(3);

        ScanReport uncached = scan(scanner(LayerCache.disabled()), worker);
        assertThat(uncached.bytesStreamed()).isEqualTo(worker.layers().get(0).size() + worker.layers().get(1).size());
        assertThat(second.pluginResponse()).isEqualTo(uncached.pluginResponse());
        assertThat(second.osPackages().packages()).isNotEmpty().isEqualTo(uncached.osPackages().packages());
        assertThat(second.os().alias()).isEqualTo(uncached.os().alias());

        ScanReport again = scan(cached, web);
        assertThat(again.bytesStreamed()).as("both of the web image's layers are kept now").isZero();
        assertThat(again.pluginResponse()).isEqualTo(first.pluginResponse());
    }
}
