package io.javarun.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void layoutIsLittleEndianCountThenLengthPrefixedFields() {
        // native/PROTOCOL.md: u32 field_count (LE), then per field u32 length (LE) and the bytes.
        byte[] expected = bytes(
                2, 0, 0, 0,
                4, 0, 0, 0, 'P', 'L', 'A', 'N',
                2, 0, 0, 0, '4', '2');
        assertArrayEquals(expected, Record.encode(List.of("PLAN", "42")));
    }

    @Test
    void lengthsAreUtf8ByteCountsAndMultiByteLengthsAreLittleEndian() {
        byte[] r = Record.encode(List.of("ENV", "A=\u00e9", "x".repeat(300)));
        assertEquals(3, r[0]);
        // "A=é" is 4 bytes in UTF-8.
        assertArrayEquals(bytes(4, 0, 0, 0, 'A', '=', 0xC3, 0xA9), Arrays.copyOfRange(r, 11, 19));
        // 300 = 0x012C: low byte first.
        assertArrayEquals(bytes(0x2C, 0x01, 0, 0), Arrays.copyOfRange(r, 19, 23));
        assertEquals(4 + (4 + 3) + (4 + 4) + (4 + 300), r.length);
    }

    @Test
    void emptyFieldsAreZeroLength() {
        assertArrayEquals(bytes(3, 0, 0, 0, 5, 0, 0, 0, 'C', 'L', 'O', 'N', 'E', 0, 0, 0, 0, 0, 0, 0, 0),
                Record.encode(List.of("CLONE", "", "")));
    }

    @Test
    void roundTrips() {
        for (List<String> fields : List.of(
                List.of("READY"),
                List.of("MOUNT", "tmpfs", "/dev", "tmpfs", "16777218", "mode=755,size=65536k"),
                List.of("CLONE", "1812070400", "0 1000 1\n", "0 1000 1\n", ""),
                List.of("ENV", "GREETING=h\u00e9llo w\u00f6rld \u4e2d\ud83d\ude00"),
                List.of("EXEC", "sh", "-c", "echo \"$1\" | tr a-z A-Z", "--", "a b"))) {
            assertEquals(fields, Record.decode(Record.encode(fields)));
        }
    }

    @Test
    void recordsLargerThanOneMebibyteAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Record.encode(List.of("ENV", "x".repeat(Record.MAX_BYTES))));
    }

    private static void assertMalformed(String message, byte[] raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Record.decode(raw));
        assertEquals(message, e.getMessage());
    }

    @Test
    void malformedRecordsAreRejected() {
        assertMalformed("short record", bytes());
        assertMalformed("short record", bytes(1, 0, 0));
        assertMalformed("bad field count 0", bytes(0, 0, 0, 0));
        assertMalformed("bad field count -1", bytes(0xFF, 0xFF, 0xFF, 0xFF));
        // More fields than the bytes could hold.
        assertMalformed("bad field count 1000", bytes(0xE8, 0x03, 0, 0, 1, 0, 0, 0, 'X'));
        // Count says 2, only one field follows.
        assertMalformed("short record", bytes(2, 0, 0, 0, 1, 0, 0, 0, 'X', 0, 0));
        // Length runs past the end.
        assertMalformed("bad field length 5", bytes(1, 0, 0, 0, 5, 0, 0, 0, 'A', 'B'));
        // Negative length.
        assertMalformed("bad field length -2", bytes(1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 'A'));
        // A complete record followed by garbage.
        assertMalformed("trailing bytes after record", bytes(1, 0, 0, 0, 2, 0, 0, 0, 'G', 'O', 0));
    }

    @Test
    void truncatingAValidRecordAnywhereMakesItInvalid() {
        byte[] r = Record.encode(List.of("SYNC", "created"));
        for (int n = 0; n < r.length; n++) {
            byte[] cut = Arrays.copyOf(r, n);
            assertThrows(IllegalArgumentException.class, () -> Record.decode(cut), "cut at " + n);
        }
    }
}
