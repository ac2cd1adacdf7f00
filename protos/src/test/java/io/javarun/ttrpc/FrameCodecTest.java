package io.javarun.ttrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static byte[] frames(Frame... fs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : fs) {
            out.writeBytes(FrameCodec.encode(f));
        }
        return out.toByteArray();
    }

    private static byte[] header(long length, int stream, int type, int flags) {
        return ByteBuffer.allocate(10).putInt((int) length).putInt(stream).put((byte) type).put((byte) flags).array();
    }

    @Test
    void headerLayout() {
        byte[] b = FrameCodec.encode(new Frame(0x01020304, Frame.DATA, (byte) 0x05, new byte[] {9, 8}));
        assertEquals("00 00 00 02 01 02 03 04 03 05 09 08", Hex.hex(b));
    }

    @Test
    void readsFramesSplitAcrossReads() throws Exception {
        byte[] big = new byte[70_000];
        Arrays.fill(big, (byte) 7);
        Frame a = new Frame(1, Frame.REQUEST, (byte) 0, new byte[] {1, 2, 3});
        Frame empty = new Frame(3, Frame.REQUEST, (byte) 0, new byte[0]);
        Frame c = new Frame(5, Frame.RESPONSE, (byte) 2, big);
        byte[] wire = frames(a, empty, c);
        for (int[] chunks : new int[][] {{1}, {3, 7}, {9, 11, 1}, {10}, {65536}}) {
            FrameCodec codec = new FrameCodec(new ChunkedChannel(wire, chunks));
            assertFrame(a, codec.read());
            assertFrame(empty, codec.read());
            assertFrame(c, codec.read());
            assertNull(codec.read(), "clean end of stream between frames");
        }
    }

    @Test
    void writeSurvivesShortWrites() throws Exception {
        ChunkedChannel ch = new ChunkedChannel(new byte[0], 1);
        Frame f = new Frame(7, Frame.RESPONSE, (byte) 0, new byte[] {1, 2, 3, 4, 5});
        new FrameCodec(ch).write(f);
        assertArrayEquals(FrameCodec.encode(f), ch.written.toByteArray());
    }

    @Test
    void peerClosingInsideHeaderOrData() {
        byte[] wire = FrameCodec.encode(new Frame(1, Frame.REQUEST, (byte) 0, new byte[] {1, 2, 3}));
        assertThrows(EOFException.class, () -> new FrameCodec(new ChunkedChannel(Arrays.copyOf(wire, 4), 1)).read());
        assertThrows(EOFException.class, () -> new FrameCodec(new ChunkedChannel(Arrays.copyOf(wire, 11), 2)).read());
    }

    @Test
    void oversizedFrameIsSkippedAndTheStreamStaysUsable() throws Exception {
        int len = FrameCodec.MAX_DATA + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(len, 9, Frame.REQUEST, 0));
        out.writeBytes(new byte[len]);
        Frame next = new Frame(11, Frame.REQUEST, (byte) 0, new byte[] {42});
        out.writeBytes(FrameCodec.encode(next));
        FrameCodec codec = new FrameCodec(new ChunkedChannel(out.toByteArray(), 4093, 1, 70_000));
        FrameCodec.OversizedFrameException e = assertThrows(FrameCodec.OversizedFrameException.class, codec::read);
        assertEquals(9, e.streamId());
        assertEquals(Frame.REQUEST, e.type());
        assertEquals(len, e.length());
        assertEquals("message length 4194305 exceed maximum message size of 4194304", e.getMessage());
        assertFrame(next, codec.read());
        assertNull(codec.read());
    }

    @Test
    void maximumSizeIsAccepted() throws Exception {
        Frame max = new Frame(1, Frame.REQUEST, (byte) 0, new byte[FrameCodec.MAX_DATA]);
        assertFrame(max, new FrameCodec(new ChunkedChannel(FrameCodec.encode(max), 1 << 20)).read());
        assertThrows(IllegalArgumentException.class,
                () -> FrameCodec.encode(new Frame(1, Frame.REQUEST, (byte) 0, new byte[FrameCodec.MAX_DATA + 1])));
    }

    @Test
    void lengthIsUnsigned() {
        // 0x80000000 must read as 2 GiB (oversized), not as a negative length
        FrameCodec codec = new FrameCodec(new ChunkedChannel(header(0x8000_0000L, 1, 1, 0), 10));
        assertThrows(EOFException.class, codec::read, "skipping runs into the end of stream");
    }

    private static void assertFrame(Frame expected, Frame actual) {
        assertEquals(expected.streamId(), actual.streamId());
        assertEquals(expected.type(), actual.type());
        assertEquals(expected.flags(), actual.flags());
        assertArrayEquals(expected.data(), actual.data());
    }
}
