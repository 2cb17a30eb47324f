package io.cragent.scan.cli;

import io.cragent.http.ProxyRules;
import io.cragent.scan.apps.AppOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scan command's arguments, with credentials, trust and proxies ({@code HTTPS_PROXY}, {@code HTTP_PROXY},
 * {@code NO_PROXY}, as the agent reads them; {@code proxy} null when none) also taken from the environment.
 */
record ScanOptions(String image, String platform, String format, Path output, String username, String password,
                   Path caCert, List<String> insecureRegistries, ProxyRules proxy, AppOptions apps) {
    private static final Set<String> FORMATS = Set.of("snyk", "cyclonedx", "table");

    static ScanOptions parse(String[] args, Map<String, String> env) {
        String image = null;
        String platform = "linux/amd64";
        String format = "snyk";
        Path output = null;
        String username = env.get("CR_USERNAME");
        String password = env.get("CR_PASSWORD");
        String ca = env.getOrDefault("CA_CERT", env.get("NODE_EXTRA_CA_CERTS"));
        List<String> insecure = new ArrayList<>();
        boolean excludeAppVulns = false;
        boolean excludeNodeModules = false;
        boolean includeSystemJars = false;
        boolean extraPip = true;
        int nestedJarsDepth = AppOptions.DEFAULTS.nestedJarsDepth();
        String fromEnv = env.get("CR_AGENT_INSECURE_REGISTRIES");
        if (fromEnv != null && !fromEnv.isBlank()) {
            insecure.addAll(List.of(fromEnv.split(",")));
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--exclude-app-vulns" -> {
                    excludeAppVulns = true;
                    continue;
                }
                case "--exclude-node-modules" -> {
                    excludeNodeModules = true;
                    continue;
                }
                case "--include-system-jars" -> {
                    includeSystemJars = true;
                    continue;
                }
                case "--no-extra-pip-result" -> {
                    extraPip = false;
                    continue;
                }
                default -> {
                }
            }
            if (!arg.startsWith("--")) {
                if (image != null) {
                    throw new IllegalArgumentException("one image at a time; got also " + arg);
                }
                image = arg;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--platform" -> platform = value;
                case "--format" -> format = value;
                case "--output" -> output = Path.of(value);
                case "--username" -> username = value;
                case "--password" -> password = value;
                case "--ca-cert" -> ca = value;
                case "--insecure-registry" -> insecure.add(value);
                case "--nested-jars-depth" -> nestedJarsDepth = depth(value);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (image == null) {
            throw new IllegalArgumentException("no image given");
        }
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("--format must be one of " + FORMATS);
        }
        return new ScanOptions(image, platform, format, output, username, password,
                ca == null || ca.isBlank() ? null : Path.of(ca), insecure,
                ProxyRules.of(env.get("HTTPS_PROXY"), env.get("HTTP_PROXY"), env.get("NO_PROXY"), env),
                new AppOptions(excludeAppVulns, excludeNodeModules, nestedJarsDepth, includeSystemJars, extraPip));
    }

    private static int depth(String value) {
        try {
            int depth = Integer.parseInt(value);
            if (depth >= 0 && depth <= 10) {
                return depth;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--nested-jars-depth must be a number from 0 to 10");
    }
}
