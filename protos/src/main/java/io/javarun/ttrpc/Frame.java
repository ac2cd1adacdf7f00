package io.javarun.ttrpc;

/**
 * One ttrpc frame: the 10-byte header's stream id, type and flags, and the data that follows.
 *
 * @param streamId the stream (odd for client-initiated calls)
 * @param type {@link #REQUEST}, {@link #RESPONSE} or {@link #DATA}
 * @param flags ttrpc 1.2 stream flags (unused for unary calls: 0)
 * @param data the payload, at most {@link FrameCodec#MAX_DATA} bytes
 */
public record Frame(int streamId, byte type, byte flags, byte[] data) {
    public static final byte REQUEST = 1;
    public static final byte RESPONSE = 2;
    public static final byte DATA = 3;

    public Frame {
        if (data == null) {
            throw new NullPointerException("data");
        }
    }
}
