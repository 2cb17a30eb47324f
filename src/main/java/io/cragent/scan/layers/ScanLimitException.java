package io.cragent.scan.layers;

import java.io.IOException;

/** A layer broke a limit that protects the scanner (decompression bomb, image size): the scan fails. */
public final class ScanLimitException extends IOException {
    public ScanLimitException(String message) {
        super(message);
    }
}
