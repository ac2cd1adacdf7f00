package io.javarun.ttrpc;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A test peer that speaks frames (or arbitrary bytes) directly. */
final class RawConnection implements AutoCloseable {
    final SocketChannel channel;
    final FrameCodec codec;

    RawConnection(Path socket) throws IOException {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        codec = new FrameCodec(channel);
    }

    void writeBytes(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    Frame read() throws IOException {
        return codec.read();
    }

    /** The next frame's exact wire bytes. */
    byte[] readRaw() throws IOException {
        Frame f = codec.read();
        return f == null ? null : FrameCodec.encode(f);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
