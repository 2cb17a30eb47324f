package io.cragent.testsupport;

/** Stopping the peers a test started. */
public final class Peers {
    private Peers() {
    }

    /** Closes each peer that was started (nulls are skipped); one failing to stop does not keep the others running. */
    public static void closeAll(AutoCloseable... peers) {
        for (AutoCloseable peer : peers) {
            try {
                if (peer != null) {
                    peer.close();
                }
            } catch (Exception ignored) {
                // best effort: the others must still stop
            }
        }
    }
}
