package io.javarun.process;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The helper's wire record (native/PROTOCOL.md): a little-endian u32 field count, then each field
 * as a u32 length and its bytes. Field 0 is the record's name.
 */
public final class Record {
    /** Largest record either side accepts. */
    public static final int MAX_BYTES = 1 << 20;

    private Record() {}

    public static byte[] encode(List<String> fields) {
        List<byte[]> raw = new ArrayList<>(fields.size());
        int size = 4;
        for (String f : fields) {
            byte[] b = f.getBytes(StandardCharsets.UTF_8);
            raw.add(b);
            size += 4 + b.length;
        }
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("record " + fields.get(0) + " is larger than " + MAX_BYTES + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(raw.size());
        for (byte[] b : raw) {
            buf.putInt(b.length).put(b);
        }
        return buf.array();
    }

    /** Decodes a record; throws IllegalArgumentException when the bytes are not one. */
    public static List<String> decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.remaining() < 4) {
            throw new IllegalArgumentException("short record");
        }
        int count = buf.getInt();
        if (count < 1 || count > bytes.length / 4) {
            throw new IllegalArgumentException("bad field count " + count);
        }
        List<String> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (buf.remaining() < 4) {
                throw new IllegalArgumentException("short record");
            }
            int len = buf.getInt();
            if (len < 0 || len > buf.remaining()) {
                throw new IllegalArgumentException("bad field length " + len);
            }
            fields.add(new String(bytes, buf.position(), len, StandardCharsets.UTF_8));
            buf.position(buf.position() + len);
        }
        if (buf.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes after record");
        }
        return fields;
    }
}
