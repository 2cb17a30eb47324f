package io.cragent.scan.apps.node;

/** A manifest or lockfile that cannot be used: the project is skipped with a warning, as the reference skips it. */
final class LockfileException extends Exception {
    LockfileException(String message) {
        super(message);
    }

    LockfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
