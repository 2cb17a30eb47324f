package io.cragent.scan.os.rpm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes a small BerkeleyDB hash file the way rpm's Packages looks: meta page, then each header in its own overflow
 * chain, then <em>one hash page as the last page</em> holding (header number → off-page item) pairs. Putting the
 * hash page last exercises the inclusive page scan (snyk's reader stops one page short).
 */
final class BerkeleyDbFileBuilder {
    private BerkeleyDbFileBuilder() {
    }

    static byte[] build(int pageSize, List<byte[]> blobs) {
        int perPage = pageSize - 26;
        int pages = 1;
        for (byte[] b : blobs) {
            pages += (b.length + perPage - 1) / perPage;
        }
        int hashPage = pages++;
        ByteBuffer out = ByteBuffer.allocate(pages * pageSize).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(12, 0x00061561).putInt(16, 9).putInt(20, pageSize).put(25, (byte) 8)
                .putInt(32, hashPage).putInt(88, blobs.size());

        int page = 1;
        int itemEnd = pageSize;
        int hashBase = hashPage * pageSize;
        for (int i = 0; i < blobs.size(); i++) {
            byte[] blob = blobs.get(i);
            int first = page;
            for (int at = 0; at < blob.length; at += perPage) {
                int n = Math.min(perPage, blob.length - at);
                int base = page * pageSize;
                boolean last = at + n >= blob.length;
                out.putInt(base + 8, page).putInt(base + 16, last ? 0 : page + 1).putShort(base + 22, (short) n)
                        .put(base + 25, (byte) 7).put(base + 26, blob, at, n);
                page++;
            }
            // Key: on-page item (type 1) with the header number; value: off-page item (type 3).
            itemEnd -= 5;
            out.put(hashBase + itemEnd, (byte) 1).putInt(hashBase + itemEnd + 1, i + 1);
            out.putShort(hashBase + 26 + 4 * i, (short) itemEnd);
            itemEnd -= 12;
            out.put(hashBase + itemEnd, (byte) 3).putInt(hashBase + itemEnd + 4, first)
                    .putInt(hashBase + itemEnd + 8, blob.length);
            out.putShort(hashBase + 26 + 4 * i + 2, (short) itemEnd);
        }
        out.putInt(hashBase + 8, hashPage).putShort(hashBase + 20, (short) (2 * blobs.size()))
                .putShort(hashBase + 22, (short) itemEnd).put(hashBase + 25, (byte) 13);
        return out.array();
    }
}
