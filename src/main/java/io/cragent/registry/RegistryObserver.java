package io.cragent.registry;

/** What the registry transport reports for metrics: never a repository, a host or a credential. */
public interface RegistryObserver {
    RegistryObserver NONE = new RegistryObserver() {
    };

    /** A registry answered a non-2xx status that became an error. */
    default void errorStatus(int status) {
    }

    /** Bytes of layers read from a registry. */
    default void bytesPulled(long bytes) {
    }
}
