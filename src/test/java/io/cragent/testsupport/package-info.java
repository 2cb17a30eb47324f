/**
 * Test peers for the agent's registry side, all on 127.0.0.1 with free ports and no Docker engine.
 *
 * <ul>
 *   <li>{@link io.cragent.testsupport.DistributionRegistry}: the real docker-registry 2.8.2 in four modes
 *       (anonymous http, htpasswd over http or https, token auth over https).</li>
 *   <li>{@link io.cragent.testsupport.TokenIssuer}: the token endpoint for the token mode (registries.md §6.3).</li>
 *   <li>{@link io.cragent.testsupport.TestImages}: reproducible OCI/Docker images, indexes and many
 *       repositories, pushed with skopeo and read back so digests are what the registry serves.</li>
 *   <li>{@link io.cragent.testsupport.FaultyRegistry}: a scripted fake for 429/500, truncation,
 *       cross-origin redirects and digest mismatches.</li>
 *   <li>{@link io.cragent.testsupport.TestPki}: CA, server certificate and token signer in memory.</li>
 * </ul>
 *
 * <p>Typical use:
 * <pre>{@code
 * try (DistributionRegistry registry = DistributionRegistry.start(DistributionRegistry.Mode.TLS_TOKEN)) {
 *     TestImages.PushedImage image = TestImages.pushImage(registry, "app/web", "1.0", TestImages.Format.OCI);
 *     // point the agent at registry.hostPort(), trust registry.caCertPath(),
 *     // log in as registry.username()/registry.password(), expect image.manifestDigest()
 * }
 * }</pre>
 */
package io.cragent.testsupport;
