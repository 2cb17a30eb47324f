package io.cragent.credentials;

/**
 * Decoded {@code CR_CREDENTIALS}. {@link #toString()} never shows a secret, so the object may travel through
 * exchange properties, traces and logs.
 */
public record RegistryCredentials(RegistryType type, String username, String password, String registryBase,
                                  String roleArn, String region, String externalId) {

    public static RegistryCredentials basic(RegistryType type, String username, String password, String registryBase) {
        return new RegistryCredentials(type, username, password, registryBase, null, null, null);
    }

    public boolean hasSecret() {
        return username != null && !username.isEmpty() || password != null && !password.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistryCredentials[type=" + type.id() + ", registryBase=" + registryBase
                + (username != null ? ", username=***" : "") + (roleArn != null ? ", roleArn=" + roleArn : "") + "]";
    }
}
