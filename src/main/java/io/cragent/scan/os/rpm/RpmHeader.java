package io.cragent.scan.os.rpm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One RPM header blob, as stored per package in every rpmdb format (big-endian):
 * {@code il} (index entry count), {@code dl} (data-store length), {@code il} 16-byte entries
 * ({@code tag, type, offset, count}) and the data store.
 *
 * <p>Values are decoded by each entry's type and count (a STRING runs to its NUL, an INT32 is 4 bytes per value),
 * not by slicing between neighbouring offsets as snyk does. Parsing checks every entry's bounds cheaply; string
 * values are only scanned when asked for, so a hostile header with thousands of overlapping string entries costs
 * no more than the few tags a scanner reads.
 */
public final class RpmHeader {
    public static final int TAG_NAME = 1000;
    public static final int TAG_VERSION = 1001;
    public static final int TAG_RELEASE = 1002;
    public static final int TAG_EPOCH = 1003;
    public static final int TAG_SIZE = 1009;
    public static final int TAG_ARCH = 1022;
    public static final int TAG_SOURCERPM = 1044;
    public static final int TAG_MODULARITYLABEL = 5096;

    public static final int TYPE_NULL = 0;
    public static final int TYPE_CHAR = 1;
    public static final int TYPE_INT8 = 2;
    public static final int TYPE_INT16 = 3;
    public static final int TYPE_INT32 = 4;
    public static final int TYPE_INT64 = 5;
    public static final int TYPE_STRING = 6;
    public static final int TYPE_BIN = 7;
    public static final int TYPE_STRING_ARRAY = 8;
    public static final int TYPE_I18NSTRING = 9;

    /** rpm's own sanity limit on index entries; also bounds the work spent on one blob. */
    public static final int MAX_INDEX_ENTRIES = 50_000;

    private static final int PREAMBLE = 8;
    private static final int ENTRY_SIZE = 16;

    private final byte[] buf;
    private final int dataStart;
    private final int dataLength;
    /** First entry per tag; region/private tags are left out. */
    private final Map<Integer, Entry> entries;

    private record Entry(int type, int offset, long count) {
    }

    private RpmHeader(byte[] buf, int dataStart, int dataLength, Map<Integer, Entry> entries) {
        this.buf = buf;
        this.dataStart = dataStart;
        this.dataLength = dataLength;
        this.entries = entries;
    }

    public static RpmHeader parse(byte[] blob) throws RpmDatabaseException {
        return parse(blob, 0, blob.length);
    }

    /**
     * Parses the header in {@code length} bytes of {@code buffer} from {@code offset}. The header keeps a reference
     * to {@code buffer}, which must not change while the header is used.
     */
    public static RpmHeader parse(byte[] buffer, int offset, int length) throws RpmDatabaseException {
        if (offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new RpmDatabaseException("header blob range lies outside its buffer");
        }
        if (length < PREAMBLE) {
            throw new RpmDatabaseException("header blob of " + length + " bytes is shorter than its preamble");
        }
        long il = Bytes.u32be(buffer, offset, "header index count");
        long dl = Bytes.u32be(buffer, offset + 4L, "header data length");
        if (il < 1 || il > MAX_INDEX_ENTRIES) {
            throw new RpmDatabaseException("header index count " + il + " is outside 1.." + MAX_INDEX_ENTRIES);
        }
        long dataStart = PREAMBLE + il * ENTRY_SIZE;
        if (dl > length - dataStart) {
            throw new RpmDatabaseException("header declares " + il + " entries and " + dl
                    + " data bytes, more than the " + length + "-byte blob holds");
        }
        Map<Integer, Entry> entries = new HashMap<>();
        for (int i = 0; i < il; i++) {
            long at = offset + PREAMBLE + (long) i * ENTRY_SIZE;
            int tag = (int) Bytes.u32be(buffer, at, "header entry tag");
            long type = Bytes.u32be(buffer, at + 4, "header entry type");
            long dataOffset = (int) Bytes.u32be(buffer, at + 8, "header entry offset"); // signed on purpose
            long count = Bytes.u32be(buffer, at + 12, "header entry count");
            if (isRegionOrPrivate(tag)) {
                continue;
            }
            checkEntry(tag, type, dataOffset, count, dl);
            entries.putIfAbsent(tag, new Entry((int) type, (int) dataOffset, count));
        }
        return new RpmHeader(buffer, (int) (offset + dataStart), (int) dl, entries);
    }

    /** Header regions (61–64), the signature/immutable region tag 100 and the private tag 256 carry no package data. */
    private static boolean isRegionOrPrivate(int tag) {
        return (tag >= 61 && tag <= 64) || tag == 100 || tag == 256;
    }

    private static void checkEntry(int tag, long type, long offset, long count, long dl) throws RpmDatabaseException {
        if (type > TYPE_I18NSTRING) {
            throw new RpmDatabaseException("tag " + tag + " has unknown type " + type);
        }
        if (offset < 0 || offset > dl) {
            throw new RpmDatabaseException("tag " + tag + " offset " + offset + " lies outside the "
                    + dl + "-byte data store");
        }
        long size = fixedSize((int) type);
        // Strings take at least one byte (their NUL) each; their exact extent is checked when read.
        long minBytes = size > 0 ? count * size : (type == TYPE_NULL ? 0 : count);
        if (minBytes > dl - offset) {
            throw new RpmDatabaseException("tag " + tag + " (type " + type + ", count " + count
                    + ") runs past the end of the data store");
        }
    }

    /** Bytes per value of fixed-size types; 0 for NULL and the string types. */
    private static long fixedSize(int type) {
        return switch (type) {
            case TYPE_CHAR, TYPE_INT8, TYPE_BIN -> 1;
            case TYPE_INT16 -> 2;
            case TYPE_INT32 -> 4;
            case TYPE_INT64 -> 8;
            default -> 0;
        };
    }

    public Set<Integer> tags() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public boolean has(int tag) {
        return entries.containsKey(tag);
    }

    /** The entry's type, or -1 when the tag is absent. */
    public int type(int tag) {
        Entry e = entries.get(tag);
        return e == null ? -1 : e.type();
    }

    /**
     * A STRING value, or the first string of a STRING_ARRAY or I18NSTRING (its first locale); null when the tag is
     * absent, empty (count 0) or of another type.
     */
    public String string(int tag) throws RpmDatabaseException {
        Entry e = entries.get(tag);
        if (e == null || e.count() == 0) {
            return null;
        }
        return switch (e.type()) {
            case TYPE_STRING, TYPE_STRING_ARRAY, TYPE_I18NSTRING -> readString(tag, e.offset());
            default -> null;
        };
    }

    /** All strings of a STRING_ARRAY or I18NSTRING ({@code count} NUL-terminated strings), or a STRING as one. */
    public List<String> strings(int tag) throws RpmDatabaseException {
        Entry e = entries.get(tag);
        if (e == null || e.count() == 0) {
            return null;
        }
        if (e.type() == TYPE_STRING) {
            return List.of(readString(tag, e.offset()));
        }
        if (e.type() != TYPE_STRING_ARRAY && e.type() != TYPE_I18NSTRING) {
            return null;
        }
        List<String> out = new ArrayList<>((int) Math.min(e.count(), 1024));
        int at = e.offset();
        for (long i = 0; i < e.count(); i++) {
            int end = nul(tag, at);
            out.add(new String(buf, dataStart + at, end - at, StandardCharsets.UTF_8));
            at = end + 1;
        }
        return out;
    }

    /** The first value of an INT32 entry (signed), or null when absent, empty or of another type. */
    public Integer int32(int tag) {
        Entry e = entries.get(tag);
        if (e == null || e.count() == 0 || e.type() != TYPE_INT32) {
            return null;
        }
        int o = dataStart + e.offset(); // bounds were checked at parse time
        return (buf[o] & 0xff) << 24 | (buf[o + 1] & 0xff) << 16 | (buf[o + 2] & 0xff) << 8 | (buf[o + 3] & 0xff);
    }

    private String readString(int tag, int offset) throws RpmDatabaseException {
        int end = nul(tag, offset);
        return new String(buf, dataStart + offset, end - offset, StandardCharsets.UTF_8);
    }

    /** Data-store offset of the NUL ending the string at {@code offset}. */
    private int nul(int tag, int offset) throws RpmDatabaseException {
        for (int i = offset; i < dataLength; i++) {
            if (buf[dataStart + i] == 0) {
                return i;
            }
        }
        throw new RpmDatabaseException("string of tag " + tag + " at offset " + offset
                + " has no terminating NUL inside the data store");
    }
}
