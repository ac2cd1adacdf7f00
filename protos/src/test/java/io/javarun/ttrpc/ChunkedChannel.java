package io.javarun.ttrpc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * An in-memory channel whose reads return at most a few bytes at a time (cycling through the
 * given chunk sizes), to put frame boundaries in the middle of reads. Writes are collected.
 */
final class ChunkedChannel implements ByteChannel {
    private final byte[] input;
    private final int[] chunks;
    private int pos;
    private int turn;
    final ByteArrayOutputStream written = new ByteArrayOutputStream();

    ChunkedChannel(byte[] input, int... chunks) {
        this.input = input;
        this.chunks = chunks;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (pos == input.length) {
            return -1;
        }
        int n = Math.min(Math.min(chunks[turn++ % chunks.length], dst.remaining()), input.length - pos);
        dst.put(input, pos, n);
        pos += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), 3); // short writes too
        byte[] b = new byte[n];
        src.get(b);
        written.writeBytes(b);
        return n;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
