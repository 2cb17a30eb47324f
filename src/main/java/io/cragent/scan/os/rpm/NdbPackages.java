package io.cragent.scan.os.rpm;

import java.util.BitSet;

/**
 * Reads the header blobs of an rpm NDB {@code Packages.db} file (SUSE's rpm ≥ 4.16 backend; little-endian).
 * A 32-byte {@code RpmP} header is followed by slot pages; each used slot points at a {@code BlbS} blob whose
 * payload is a header blob. Blocks are 16 bytes.
 */
public final class NdbPackages {
    static final int HEADER_SIZE = 32;
    static final int SLOT_PAGE_SIZE = 4096;
    static final int SLOT_SIZE = 16;
    static final int BLOCK_SIZE = 16;
    static final int BLOB_HEADER_SIZE = 16;
    static final int MAX_SLOT_PAGES = 2048;

    private NdbPackages() {
    }

    /**
     * Sends every used slot's header blob to {@code sink} in slot order.
     *
     * @throws RpmDatabaseException when the file header or slot area is unreadable; a broken individual slot or
     *                              blob is reported to {@link HeaderSink#unreadable} instead
     */
    public static void read(byte[] db, HeaderSink sink) throws RpmDatabaseException {
        if (db.length < HEADER_SIZE) {
            throw new RpmDatabaseException("NDB file of " + db.length + " bytes is shorter than its header");
        }
        if (!Bytes.hasMagic(db, 0, "RpmP")) {
            throw new RpmDatabaseException("not an rpm NDB database (bad magic)");
        }
        long version = Bytes.u32le(db, 4, "NDB version");
        if (version != 0) {
            throw new RpmDatabaseException("unsupported NDB version " + version);
        }
        long slotPages = Bytes.u32le(db, 12, "NDB slot page count");
        if (slotPages < 1 || slotPages > MAX_SLOT_PAGES) {
            throw new RpmDatabaseException("NDB slot page count " + slotPages + " is outside 1.." + MAX_SLOT_PAGES);
        }
        long slotAreaEnd = slotPages * SLOT_PAGE_SIZE;
        if (slotAreaEnd > db.length) {
            throw new RpmDatabaseException("NDB file is truncated inside its " + slotPages + " slot pages");
        }
        // The file header takes the room of the first two slots.
        int slots = (int) (slotAreaEnd / SLOT_SIZE) - HEADER_SIZE / SLOT_SIZE;
        // Blobs never share blocks; remembering the used ones stops many slots re-reading one huge blob.
        BitSet usedBlocks = new BitSet(db.length / BLOCK_SIZE + 1);
        for (int i = 0; i < slots; i++) {
            long at = HEADER_SIZE + (long) i * SLOT_SIZE;
            if (!Bytes.hasMagic(db, at, "Slot")) {
                sink.unreadable("NDB slot " + i + " has a bad magic");
                continue;
            }
            long pkgIndex = Bytes.u32le(db, at + 4, "slot package index");
            if (pkgIndex == 0) {
                continue; // free slot
            }
            long blockOffset = Bytes.u32le(db, at + 8, "slot block offset");
            long blockCount = Bytes.u32le(db, at + 12, "slot block count");
            String problem = checkBlob(db, slotAreaEnd, pkgIndex, blockOffset, blockCount, usedBlocks);
            if (problem != null) {
                sink.unreadable("NDB slot " + i + " (package " + pkgIndex + "): " + problem);
                continue;
            }
            long start = blockOffset * BLOCK_SIZE;
            int blobLength = (int) Bytes.u32le(db, start + 12, "blob length");
            sink.header(db, (int) start + BLOB_HEADER_SIZE, blobLength);
        }
    }

    /** Why the slot's blob cannot be used, or null when it can (its blocks are then marked as used). */
    private static String checkBlob(byte[] db, long slotAreaEnd, long pkgIndex, long blockOffset, long blockCount,
                                    BitSet usedBlocks) throws RpmDatabaseException {
        long start = blockOffset * BLOCK_SIZE;
        long end = start + blockCount * BLOCK_SIZE;
        if (start < slotAreaEnd || blockCount == 0 || end > db.length) {
            return "blocks " + blockOffset + "+" + blockCount + " lie outside the blob area";
        }
        if (blockCount * BLOCK_SIZE < BLOB_HEADER_SIZE) {
            return "blob of " + blockCount + " blocks has no room for its header";
        }
        if (!Bytes.hasMagic(db, start, "BlbS")) {
            return "blob has a bad magic";
        }
        long blobPkgIndex = Bytes.u32le(db, start + 4, "blob package index");
        if (blobPkgIndex != pkgIndex) {
            return "blob belongs to package " + blobPkgIndex;
        }
        long blobLength = Bytes.u32le(db, start + 12, "blob length");
        if (BLOB_HEADER_SIZE + blobLength > blockCount * BLOCK_SIZE) {
            return "blob length " + blobLength + " exceeds its " + blockCount + " blocks";
        }
        int from = (int) blockOffset;
        int to = (int) (end / BLOCK_SIZE);
        int clash = usedBlocks.nextSetBit(from);
        if (clash >= 0 && clash < to) {
            return "blob overlaps another slot's blob";
        }
        usedBlocks.set(from, to);
        return null;
    }
}
