package io.cragent.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * skopeo 1.9.3 invocations against a {@link DistributionRegistry}. TLS registries are verified with the
 * test CA through {@code --dest-cert-dir}/{@code --cert-dir} (a directory with {@code ca.crt}); the same
 * trust covers the token realm, which is served with a certificate from the same CA.
 * {@code --insecure-policy} avoids depending on /etc/containers/policy.json.
 */
public final class Skopeo {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Skopeo() {
    }

    /** {@code skopeo copy [extra…] <source> docker://<registry>/<repoAndTag>} as the registry's admin. */
    public static Processes.Result copyTo(DistributionRegistry registry, String source, String repoAndTag,
            String... extraArgs) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--retry-times", "0"));
        command.addAll(List.of(extraArgs));
        command.addAll(destinationArgs(registry));
        command.add(source);
        command.add("docker://" + registry.hostPort() + "/" + repoAndTag);
        return Processes.runChecked(TIMEOUT, command);
    }

    /** Raw manifest bytes of {@code repo:tag} or {@code repo@digest}, exactly as the registry stores them. */
    public static byte[] inspectRaw(DistributionRegistry registry, String repoAndReference) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "inspect", "--raw"));
        command.addAll(sourceArgs(registry));
        command.add("docker://" + registry.hostPort() + "/" + repoAndReference);
        return Processes.runChecked(TIMEOUT, command).stdout();
    }

    /** Credentials and TLS options for a registry used as copy destination. */
    public static List<String> destinationArgs(DistributionRegistry registry) {
        return registryArgs(registry, "--dest-");
    }

    /** Credentials and TLS options for a registry used as source (inspect, copy from). */
    public static List<String> sourceArgs(DistributionRegistry registry) {
        return registryArgs(registry, "--");
    }

    private static List<String> registryArgs(DistributionRegistry registry, String prefix) {
        List<String> args = new ArrayList<>();
        if (registry.isTls()) {
            args.add(prefix + "cert-dir");
            args.add(registry.certDir().toString());
        } else {
            // Plain http: skopeo only speaks http to a registry when TLS verification is off.
            args.add(prefix + "tls-verify=false");
        }
        if (registry.username() != null) {
            args.add(prefix + "creds");
            args.add(registry.username() + ":" + registry.password());
        } else {
            args.add(prefix + "no-creds");
        }
        return args;
    }
}
