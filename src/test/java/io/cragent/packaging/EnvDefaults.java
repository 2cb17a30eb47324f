package io.cragent.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables each role reads, with their defaults: every {@code {{env:NAME:default}}} of the role's
 * properties file, every {@code ${env:NAME:-default}} of the logging configuration, and the few that Java code reads
 * itself. Deployment descriptors are checked against this, so a new setting cannot be left out of them.
 */
final class EnvDefaults {
    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final Pattern CAMEL = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)(?::((?:[^{}]|\\{\\{[^}]*}})*))?}}");
    private static final Pattern LOG4J = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)(?::-([^}]*))?}");
    /** Read by Java code from the environment map (ScanSettings; the client's CrCredentials, spec section 2). */
    private static final Map<String, Map<String, String>> READ_BY_CODE = Map.of(
            "agent", Map.of("SNYK_MAX_IMAGE_SIZE_IN_BYTES", "2147483648"),
            "client", Map.of("CR_TYPE", "", "CR_BASE", "", "CR_USERNAME", "", "CR_PASSWORD", "", "CR_TOKEN", "",
                    "CR_ROLE_ARN", "", "CR_REGION", "", "CR_EXTERNAL_ID", ""));
    /** Which process reads which properties file; log4j2.properties configures both. */
    static final Map<String, String> ROLE_OF_FILE = Map.of("application.properties", "agent",
            "client.properties", "client", "log4j2.properties", "both");

    private EnvDefaults() {
    }

    static Map<String, String> agent() {
        return of("agent");
    }

    static Map<String, String> client() {
        return of("client");
    }

    /** Whether the role's own properties file is in this build (the client arrives in its own change). */
    static boolean hasPropertiesFile(String role) {
        return ROLE_OF_FILE.entrySet().stream().anyMatch(e -> e.getValue().equals(role)
                && Files.exists(RESOURCES.resolve(e.getKey())));
    }

    /** Variable name to default ("" when it has none), for one role. */
    static Map<String, String> of(String role) {
        Map<String, String> found = new TreeMap<>(READ_BY_CODE.get(role));
        try (Stream<Path> files = Files.list(RESOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".properties")).sorted().toList()) {
                String owner = ROLE_OF_FILE.get(file.getFileName().toString());
                if (owner == null) {
                    throw new AssertionError(file + " has no role in EnvDefaults.ROLE_OF_FILE: say which process reads it");
                }
                if (owner.equals(role) || owner.equals("both")) {
                    collect(Files.readString(file), found);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static void collect(String text, Map<String, String> into) {
        for (Pattern pattern : List.of(CAMEL, LOG4J)) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                into.put(m.group(1), m.group(2) == null ? "" : m.group(2).strip());
            }
        }
    }
}
