package io.cragent.scan.os.rpm;

/**
 * Receives the header blobs a database reader finds, in database order. A reader reports an entry it cannot
 * extract (broken overflow chain, bad blob magic, ...) through {@link #unreadable} and carries on, so one corrupt
 * record does not hide the rest of the database. Either method may throw to stop the read (e.g. past a limit).
 */
public interface HeaderSink {
    /** A header blob: {@code length} bytes of {@code buffer} from {@code offset}; only valid during the call. */
    void header(byte[] buffer, int offset, int length) throws RpmDatabaseException;

    /** An entry that was present but could not be extracted. */
    void unreadable(String reason) throws RpmDatabaseException;
}
