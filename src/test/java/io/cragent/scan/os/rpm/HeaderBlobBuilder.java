package io.cragent.scan.os.rpm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds RPM header blobs (big-endian) for tests, with the data store laid out the way rpm aligns it. */
final class HeaderBlobBuilder {
    private record Item(int tag, int type, int count, byte[] data, int align) {
    }

    private final List<Item> items = new ArrayList<>();

    /** A minimal valid package header. */
    static HeaderBlobBuilder pkg(String name, String version, String release) {
        return new HeaderBlobBuilder()
                .string(RpmHeader.TAG_NAME, name)
                .string(RpmHeader.TAG_VERSION, version)
                .string(RpmHeader.TAG_RELEASE, release)
                .int32(RpmHeader.TAG_SIZE, 1234)
                .string(RpmHeader.TAG_ARCH, "x86_64");
    }

    HeaderBlobBuilder string(int tag, String value) {
        return raw(tag, RpmHeader.TYPE_STRING, 1, nulTerminated(value), 1);
    }

    HeaderBlobBuilder stringArray(int tag, int type, String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String v : values) {
            out.writeBytes(nulTerminated(v));
        }
        return raw(tag, type, values.length, out.toByteArray(), 1);
    }

    HeaderBlobBuilder int32(int tag, int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return raw(tag, RpmHeader.TYPE_INT32, values.length, b.array(), 4);
    }

    HeaderBlobBuilder raw(int tag, int type, int count, byte[] data, int align) {
        items.add(new Item(tag, type, count, data, align));
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream store = new ByteArrayOutputStream();
        ByteBuffer index = ByteBuffer.allocate(16 * items.size());
        for (Item item : items) {
            while (store.size() % item.align() != 0) {
                store.write(0);
            }
            index.putInt(item.tag()).putInt(item.type()).putInt(store.size()).putInt(item.count());
            store.writeBytes(item.data());
        }
        byte[] data = store.toByteArray();
        return ByteBuffer.allocate(8 + index.capacity() + data.length)
                .putInt(items.size()).putInt(data.length).put(index.array()).put(data).array();
    }

    private static byte[] nulTerminated(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }
}
