package io.cragent.scan.os.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RpmHeaderTest {

    @Test
    void decodesByTypeAndCount() throws Exception {
        byte[] blob = new HeaderBlobBuilder()
                .raw(63, RpmHeader.TYPE_BIN, 16, new byte[16], 1) // region tag: skipped
                .string(RpmHeader.TAG_NAME, "bash")
                .stringArray(1004, RpmHeader.TYPE_I18NSTRING, "The GNU shell", "Die GNU-Shell")
                .int32(RpmHeader.TAG_EPOCH, 7, 99)
                .stringArray(1117, RpmHeader.TYPE_STRING_ARRAY, "a", "", "ccc")
                .string(RpmHeader.TAG_VERSION, "5.1.8")
                .build();

        RpmHeader h = RpmHeader.parse(blob);

        assertThat(h.tags()).containsExactlyInAnyOrder(RpmHeader.TAG_NAME, 1004, RpmHeader.TAG_EPOCH, 1117,
                RpmHeader.TAG_VERSION);
        assertThat(h.string(RpmHeader.TAG_NAME)).isEqualTo("bash");
        assertThat(h.string(1004)).isEqualTo("The GNU shell");
        assertThat(h.strings(1004)).containsExactly("The GNU shell", "Die GNU-Shell");
        assertThat(h.int32(RpmHeader.TAG_EPOCH)).isEqualTo(7);
        assertThat(h.strings(1117)).containsExactly("a", "", "ccc");
        assertThat(h.string(RpmHeader.TAG_VERSION)).isEqualTo("5.1.8");
        // Wrong type or absent: no value rather than a misread.
        assertThat(h.int32(RpmHeader.TAG_NAME)).isNull();
        assertThat(h.string(RpmHeader.TAG_EPOCH)).isNull();
        assertThat(h.string(RpmHeader.TAG_RELEASE)).isNull();
    }

    @Test
    void valuesDoNotDependOnNeighbouringOffsets() throws Exception {
        // The data store holds padding and an unrelated string between values; slicing by the next entry's
        // offset (snyk's approach) would return "x86_64\0junk"; reading to the NUL returns "x86_64".
        ByteBuffer data = ByteBuffer.allocate(32);
        data.put("x86_64\0junk\0".getBytes()).position(16).putInt(42);
        byte[] blob = ByteBuffer.allocate(8 + 32 + 32)
                .putInt(2).putInt(32)
                .putInt(RpmHeader.TAG_ARCH).putInt(RpmHeader.TYPE_STRING).putInt(0).putInt(1)
                .putInt(RpmHeader.TAG_SIZE).putInt(RpmHeader.TYPE_INT32).putInt(16).putInt(1)
                .put(data.array()).array();

        RpmHeader h = RpmHeader.parse(blob);

        assertThat(h.string(RpmHeader.TAG_ARCH)).isEqualTo("x86_64");
        assertThat(h.int32(RpmHeader.TAG_SIZE)).isEqualTo(42);
    }

    @Test
    void parsesASliceOfALargerBuffer() throws Exception {
        byte[] blob = HeaderBlobBuilder.pkg("zlib", "1.2", "3").build();
        byte[] buffer = new byte[blob.length + 20];
        System.arraycopy(blob, 0, buffer, 7, blob.length);

        assertThat(RpmHeader.parse(buffer, 7, blob.length).string(RpmHeader.TAG_NAME)).isEqualTo("zlib");
    }

    @Test
    void rejectsBadIndexCountsAndLengths() {
        assertRejected(new byte[0], "shorter than its preamble");
        assertRejected(header(0, 0, 0), "index count 0");
        assertRejected(header(50_001, 0, 0), "index count 50001");
        assertRejected(header(-1, 0, 0), "index count 4294967295");
        assertRejected(header(1, 100, 16 + 50), "more than");
        assertRejected(header(1, -1, 16), "more than");
        assertRejected(header(2, 0, 16), "more than"); // index entries cut off
    }

    @Test
    void rejectsEntriesOutsideTheDataStore() {
        assertRejected(entry(RpmHeader.TYPE_STRING, -4, 1, 8), "offset -4");
        assertRejected(entry(RpmHeader.TYPE_STRING, 9, 1, 8), "offset 9");
        assertRejected(entry(RpmHeader.TYPE_INT32, 4, 2, 8), "runs past");
        assertRejected(entry(RpmHeader.TYPE_INT32, 0, 0x4000_0001, 8), "runs past"); // count*4 overflows an int
        assertRejected(entry(RpmHeader.TYPE_INT64, 0, 0xffff_ffff, 8), "runs past");
        assertRejected(entry(RpmHeader.TYPE_STRING_ARRAY, 0, 9, 8), "runs past");
        assertRejected(entry(10, 0, 1, 8), "unknown type 10");
    }

    @Test
    void reportsAStringWithoutNulWhenItIsRead() throws Exception {
        byte[] blob = entry(RpmHeader.TYPE_STRING, 0, 1, 8);
        for (int i = 0; i < 8; i++) {
            blob[8 + 16 + i] = 'a';
        }
        RpmHeader h = RpmHeader.parse(blob);

        assertThatThrownBy(() -> h.string(RpmHeader.TAG_NAME)).isInstanceOf(RpmDatabaseException.class)
                .hasMessageContaining("no terminating NUL");
        assertThatThrownBy(() -> RpmPackage.from(h)).isInstanceOf(RpmDatabaseException.class);
    }

    @Test
    void skipsRegionAndPrivateTagsEvenWhenTheyPointNowhere() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8 + 16 * 7 + 8).putInt(7).putInt(8);
        for (int tag : new int[] {61, 62, 63, 64, 100, 256}) {
            b.putInt(tag).putInt(RpmHeader.TYPE_BIN).putInt(-1000).putInt(-1);
        }
        b.putInt(RpmHeader.TAG_NAME).putInt(RpmHeader.TYPE_STRING).putInt(0).putInt(1).put("pkg\0\0\0\0\0".getBytes());

        RpmHeader h = RpmHeader.parse(b.array());

        assertThat(h.tags()).containsExactly(RpmHeader.TAG_NAME);
        assertThat(h.string(RpmHeader.TAG_NAME)).isEqualTo("pkg");
    }

    private static byte[] header(int il, int dl, int bytesAfterPreamble) {
        return ByteBuffer.allocate(8 + bytesAfterPreamble).putInt(il).putInt(dl).array();
    }

    /** One NAME entry of the given shape over a data store of {@code dl} bytes. */
    private static byte[] entry(int type, int offset, int count, int dl) {
        return ByteBuffer.allocate(8 + 16 + dl).putInt(1).putInt(dl)
                .putInt(RpmHeader.TAG_NAME).putInt(type).putInt(offset).putInt(count).array();
    }

    private static void assertRejected(byte[] blob, String message) {
        assertThatThrownBy(() -> RpmHeader.parse(blob)).isInstanceOf(RpmDatabaseException.class)
                .hasMessageContaining(message);
    }
}
