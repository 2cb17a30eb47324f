package io.cragent.scan.os.rpm;

import java.util.BitSet;

/**
 * Reads the header blobs of an rpm BerkeleyDB <b>hash</b> {@code Packages} file (rpm &lt; 4.16). Page fields are
 * little-endian. rpm stores every header as an off-page item (its value is far larger than a page), so only
 * off-page value items are followed; the on-page items are the header-number keys and rpm's instance counter.
 */
public final class BerkeleyDbPackages {
    static final long HASH_MAGIC = 0x00061561L;
    static final int PAGE_HEADER = 26;
    static final int TYPE_HASH_UNSORTED = 2;
    static final int TYPE_OVERFLOW = 7;
    static final int TYPE_HASH_META = 8;
    static final int TYPE_HASH = 13;
    static final int ITEM_OFFPAGE = 3;
    static final int OFFPAGE_ITEM_SIZE = 12;
    static final long MAX_ENTRIES = 50_000;

    private BerkeleyDbPackages() {
    }

    /**
     * Sends every header blob to {@code sink} in page order.
     *
     * @throws RpmDatabaseException when the file is not a readable hash database (bad meta page, truncated);
     *                              a broken individual entry is reported to {@link HeaderSink#unreadable} instead
     */
    public static void read(byte[] db, HeaderSink sink) throws RpmDatabaseException {
        if (db.length < 512) {
            throw new RpmDatabaseException("BerkeleyDB file of " + db.length + " bytes is too short for a meta page");
        }
        if (Bytes.u32le(db, 12, "magic") != HASH_MAGIC) {
            throw new RpmDatabaseException("not a BerkeleyDB hash database (bad magic)");
        }
        if (Bytes.u8(db, 25, "meta page type") != TYPE_HASH_META) {
            throw new RpmDatabaseException("BerkeleyDB page 0 is not a hash meta page");
        }
        if (Bytes.u8(db, 24, "encryption") != 0) {
            throw new RpmDatabaseException("BerkeleyDB database is encrypted");
        }
        long pageSize = Bytes.u32le(db, 20, "page size");
        if (pageSize < 512 || pageSize > 65536 || Long.bitCount(pageSize) != 1) {
            throw new RpmDatabaseException("BerkeleyDB page size " + pageSize + " is not a power of two in 512..65536");
        }
        long lastPage = Bytes.u32le(db, 32, "last page number");
        long entries = Bytes.u32le(db, 88, "entry count");
        if (entries > MAX_ENTRIES) {
            throw new RpmDatabaseException("BerkeleyDB claims " + entries + " entries, more than " + MAX_ENTRIES);
        }
        if ((lastPage + 1) * pageSize > db.length) {
            throw new RpmDatabaseException("BerkeleyDB file is truncated: its last page is " + lastPage + " but "
                    + db.length + " bytes hold only " + db.length / pageSize + " pages");
        }
        new Walk(db, (int) pageSize, (int) lastPage, sink).run();
    }

    /** One pass over the pages; remembers which overflow pages were consumed so chains cannot loop or be shared. */
    private static final class Walk {
        private final byte[] db;
        private final int pageSize;
        private final int lastPage;
        private final HeaderSink sink;
        private final BitSet usedOverflowPages;

        Walk(byte[] db, int pageSize, int lastPage, HeaderSink sink) {
            this.db = db;
            this.pageSize = pageSize;
            this.lastPage = lastPage;
            this.sink = sink;
            this.usedOverflowPages = new BitSet(lastPage + 1);
        }

        void run() throws RpmDatabaseException {
            // Inclusive: the last page can be a hash page too (snyk's reader stops one short and misses it).
            for (int page = 1; page <= lastPage; page++) {
                long base = (long) page * pageSize;
                int type = Bytes.u8(db, base + 25, "page type");
                if (type == TYPE_HASH || type == TYPE_HASH_UNSORTED) { // 2: hash v8 pages from BDB < 4.6
                    readHashPage(page, base);
                }
            }
        }

        private void readHashPage(int page, long base) throws RpmDatabaseException {
            int items = Bytes.u16le(db, base + 20, "hash page entry count");
            long indexEnd = PAGE_HEADER + 2L * items;
            if (indexEnd > pageSize) {
                sink.unreadable("hash page " + page + " lists " + items + " items, more than the page holds");
                return;
            }
            // Items come as key/value pairs; only the values (odd indices) hold headers.
            for (int i = 1; i < items; i += 2) {
                int itemOffset = Bytes.u16le(db, base + PAGE_HEADER + 2L * i, "hash item offset");
                if (itemOffset < indexEnd || itemOffset >= pageSize) {
                    sink.unreadable("hash page " + page + " item " + i + " offset " + itemOffset + " is outside the page");
                    continue;
                }
                if (db[(int) (base + itemOffset)] != ITEM_OFFPAGE) {
                    continue;
                }
                if (itemOffset + OFFPAGE_ITEM_SIZE > pageSize) {
                    sink.unreadable("hash page " + page + " item " + i + " is cut off by the page end");
                    continue;
                }
                long startPage = Bytes.u32le(db, base + itemOffset + 4, "overflow start page");
                long length = Bytes.u32le(db, base + itemOffset + 8, "overflow length");
                byte[] value;
                try {
                    value = readOverflow(startPage, length);
                } catch (RpmDatabaseException e) {
                    sink.unreadable("hash page " + page + " item " + i + ": " + e.getMessage());
                    continue;
                }
                sink.header(value, 0, value.length);
            }
        }

        /**
         * Concatenates an overflow chain. The chain is walked once to validate it before anything is allocated, so
         * an absurd length costs nothing; every page may belong to one chain only, which also stops loops.
         */
        private byte[] readOverflow(long startPage, long length) throws RpmDatabaseException {
            int perPage = pageSize - PAGE_HEADER;
            if (length == 0 || length > (long) lastPage * perPage) {
                throw new RpmDatabaseException("overflow length " + length + " is impossible for this file");
            }
            long pagesNeeded = (length + perPage - 1) / perPage;
            int[] chain = new int[(int) pagesNeeded];
            int[] lengths = new int[(int) pagesNeeded];
            long collected = 0;
            long page = startPage;
            int n = 0;
            while (collected < length) {
                if (page < 1 || page > lastPage) {
                    throw new RpmDatabaseException("overflow chain reaches page " + page + ", outside 1.." + lastPage);
                }
                if (usedOverflowPages.get((int) page)) {
                    throw new RpmDatabaseException("overflow page " + page + " is used twice (loop or shared chain)");
                }
                usedOverflowPages.set((int) page);
                long base = page * pageSize;
                if (Bytes.u8(db, base + 25, "overflow page type") != TYPE_OVERFLOW) {
                    throw new RpmDatabaseException("page " + page + " in an overflow chain is not an overflow page");
                }
                long next = Bytes.u32le(db, base + 16, "next page");
                int onPage = perPage;
                if (next == 0) {
                    // The last page says how many of its bytes are used.
                    onPage = Bytes.u16le(db, base + 22, "overflow data length");
                    if (onPage > perPage) {
                        throw new RpmDatabaseException("overflow page " + page + " claims " + onPage + " bytes");
                    }
                }
                int take = (int) Math.min(onPage, length - collected);
                chain[n] = (int) page;
                lengths[n] = take;
                n++;
                collected += take;
                if (collected < length) {
                    if (next == 0 || n == chain.length) {
                        throw new RpmDatabaseException("overflow chain ends after " + collected + " of " + length
                                + " bytes");
                    }
                    page = next;
                }
            }
            byte[] value = new byte[(int) length];
            int at = 0;
            for (int k = 0; k < n; k++) {
                System.arraycopy(db, chain[k] * pageSize + PAGE_HEADER, value, at, lengths[k]);
                at += lengths[k];
            }
            return value;
        }
    }
}
