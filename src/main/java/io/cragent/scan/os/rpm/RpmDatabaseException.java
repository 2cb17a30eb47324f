package io.cragent.scan.os.rpm;

/**
 * An RPM database or header blob that cannot be read. Checked on purpose: the files come from untrusted image layers,
 * so every caller must decide how to report a corrupt database (the scanner skips it with a warning).
 */
public class RpmDatabaseException extends Exception {
    public RpmDatabaseException(String message) {
        super(message);
    }

    public RpmDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
