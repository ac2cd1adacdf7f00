package io.javarun.ttrpc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * ttrpc framing over one byte channel (a connection): header = data length (u32 BE, header
 * excluded), stream id (u32 BE), type (u8), flags (u8). Reads are meant for one thread; writes
 * may come from any thread and are serialised, so a frame is never interleaved with another.
 */
public final class FrameCodec {
    public static final int HEADER_SIZE = 10;
    /** The largest data a frame may carry (ttrpc's messageLengthMax). */
    public static final int MAX_DATA = 4 << 20;

    private final ByteChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
    private final Object writeLock = new Object();

    public FrameCodec(ByteChannel channel) {
        this.channel = channel;
    }

    /** Thrown by {@link #read()} for a frame longer than {@link #MAX_DATA}, after its data was skipped. */
    public static final class OversizedFrameException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int streamId;
        private final byte type;
        private final long length;

        OversizedFrameException(int streamId, byte type, long length) {
            super("message length " + length + " exceed maximum message size of " + MAX_DATA);
            this.streamId = streamId;
            this.type = type;
            this.length = length;
        }

        public int streamId() { return streamId; }
        public byte type() { return type; }
        public long length() { return length; }
    }

    /**
     * Reads the next frame, blocking. Returns null at a clean end of stream (between frames);
     * throws {@link EOFException} when the peer closes in the middle of a frame, and
     * {@link OversizedFrameException} (the stream stays usable) for an oversized frame.
     */
    public Frame read() throws IOException {
        header.clear();
        if (!readFully(header, true)) {
            return null;
        }
        header.flip();
        long length = Integer.toUnsignedLong(header.getInt());
        int streamId = header.getInt();
        byte type = header.get();
        byte flags = header.get();
        if (length > MAX_DATA) {
            skip(length);
            throw new OversizedFrameException(streamId, type, length);
        }
        ByteBuffer data = ByteBuffer.allocate((int) length);
        readFully(data, false);
        return new Frame(streamId, type, flags, data.array());
    }

    /** Writes one frame atomically with respect to other writers of this codec. */
    public void write(Frame frame) throws IOException {
        ByteBuffer[] buffers = {header(frame), ByteBuffer.wrap(frame.data())};
        synchronized (writeLock) {
            for (ByteBuffer b : buffers) {
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
        }
    }

    /** The wire bytes of one frame (header and data). */
    public static byte[] encode(Frame frame) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + frame.data().length);
        b.put(header(frame)).put(frame.data());
        return b.array();
    }

    private static ByteBuffer header(Frame frame) {
        if (frame.data().length > MAX_DATA) {
            throw new IllegalArgumentException("message length " + frame.data().length
                    + " exceed maximum message size of " + MAX_DATA);
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE);
        h.putInt(frame.data().length).putInt(frame.streamId()).put(frame.type()).put(frame.flags());
        return h.flip();
    }

    /** Fills b; returns false if the stream ended before the first byte and eofOk. */
    private boolean readFully(ByteBuffer b, boolean eofOk) throws IOException {
        boolean first = true;
        while (b.hasRemaining()) {
            int n = channel.read(b);
            if (n < 0) {
                if (first && eofOk) {
                    return false;
                }
                throw new EOFException("ttrpc: connection closed in the middle of a frame");
            }
            if (n > 0) {
                first = false;
            }
        }
        return true;
    }

    private void skip(long length) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
        long left = length;
        while (left > 0) {
            scratch.clear().limit((int) Math.min(scratch.capacity(), left));
            int n = channel.read(scratch);
            if (n < 0) {
                throw new EOFException("ttrpc: connection closed in the middle of a frame");
            }
            left -= n;
        }
    }
}
