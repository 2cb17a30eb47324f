package io.cragent.scan.os.rpm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Writes a one-slot-page NDB {@code Packages.db} around given header blobs, as rpm lays it out. */
final class NdbFileBuilder {
    private NdbFileBuilder() {
    }

    static byte[] build(List<byte[]> blobs) {
        int blobArea = 0;
        for (byte[] b : blobs) {
            blobArea += blocks(b) * 16;
        }
        ByteBuffer out = ByteBuffer.allocate(4096 + blobArea).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RpmP".getBytes()).putInt(0).putInt(1).putInt(1);
        int block = 4096 / 16;
        for (int i = 0; i < 254; i++) {
            int at = 32 + 16 * i;
            out.put(at, "Slot".getBytes());
            if (i < blobs.size()) {
                byte[] blob = blobs.get(i);
                out.putInt(at + 4, i + 1).putInt(at + 8, block).putInt(at + 12, blocks(blob));
                int start = block * 16;
                out.put(start, "BlbS".getBytes()).putInt(start + 4, i + 1).putInt(start + 12, blob.length);
                out.put(start + 16, blob);
                block += blocks(blob);
            }
        }
        return out.array();
    }

    /** Blob header, blob and rpm's 12-byte tail, rounded up to 16-byte blocks. */
    private static int blocks(byte[] blob) {
        return (16 + blob.length + 12 + 15) / 16;
    }
}
