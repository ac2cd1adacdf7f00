package io.javarun.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.javarun.protos.ttrpc.KeyValue;
import io.javarun.protos.ttrpc.Request;
import io.javarun.protos.ttrpc.Response;
import java.io.Closeable;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ttrpc client over one Unix socket connection. Calls may be made from many threads at once;
 * stream ids are odd, from 1, +2 each; a reader thread hands each Response to its caller.
 */
public final class TtrpcClient implements Closeable {
    private final SocketChannel channel;
    private final FrameCodec codec;
    private final AtomicInteger nextStream = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Connects to the socket at path. */
    public static TtrpcClient connect(Path path) throws IOException {
        return new TtrpcClient(SocketChannel.open(UnixDomainSocketAddress.of(path)));
    }

    /** Takes over a connected channel. */
    public TtrpcClient(SocketChannel channel) {
        this.channel = channel;
        this.codec = new FrameCodec(channel);
        Thread reader = new Thread(this::readLoop, "ttrpc-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Calls service/method with a message and decodes the reply.
     *
     * @param timeout null or zero: no deadline; otherwise sent as timeout_nano and waited for
     */
    public <T> T call(String service, String method, MessageLite request, Parser<T> replyParser,
            Map<String, String> metadata, Duration timeout) throws TtrpcException {
        ByteString reply = call(service, method, request.toByteString(), metadata, timeout);
        try {
            return replyParser.parseFrom(reply);
        } catch (InvalidProtocolBufferException e) {
            throw new TtrpcException(TtrpcException.Code.INTERNAL,
                    "ttrpc: cannot decode " + service + "/" + method + " reply: " + e.getMessage(), e);
        }
    }

    /** Calls service/method with a raw payload and returns the raw reply payload. */
    public ByteString call(String service, String method, ByteString payload, Map<String, String> metadata,
            Duration timeout) throws TtrpcException {
        long timeoutNanos = timeout == null || timeout.isZero() || timeout.isNegative() ? 0 : timeout.toNanos();
        Request.Builder req = Request.newBuilder().setService(service).setMethod(method).setPayload(payload)
                .setTimeoutNano(timeoutNanos);
        if (metadata != null) {
            metadata.forEach((k, v) -> req.addMetadata(KeyValue.newBuilder().setKey(k).setValue(v)));
        }
        byte[] data = req.build().toByteArray();
        if (data.length > FrameCodec.MAX_DATA) {
            throw new TtrpcException(TtrpcException.Code.RESOURCE_EXHAUSTED, "message length " + data.length
                    + " exceed maximum message size of " + FrameCodec.MAX_DATA);
        }
        int stream = nextStream.getAndAdd(2);
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(stream, f);
        if (closed) {
            pending.remove(stream);
            throw closedError();
        }
        try {
            codec.write(new Frame(stream, Frame.REQUEST, (byte) 0, data));
        } catch (IOException e) {
            pending.remove(stream);
            throw new TtrpcException(TtrpcException.Code.UNAVAILABLE, "ttrpc: " + e.getMessage(), e);
        }
        Response resp;
        try {
            resp = timeoutNanos > 0 ? f.get(timeoutNanos, TimeUnit.NANOSECONDS) : f.get();
        } catch (TimeoutException e) {
            pending.remove(stream);
            throw new TtrpcException(TtrpcException.Code.DEADLINE_EXCEEDED,
                    service + "/" + method + ": deadline exceeded");
        } catch (InterruptedException e) {
            pending.remove(stream);
            Thread.currentThread().interrupt();
            throw new TtrpcException(TtrpcException.Code.CANCELLED, service + "/" + method + ": canceled");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof TtrpcException te ? te
                    : new TtrpcException(TtrpcException.Code.UNKNOWN, String.valueOf(c), c);
        }
        if (resp.getStatus().getCode() != 0) {
            throw new TtrpcException(TtrpcException.Code.of(resp.getStatus().getCode()), resp.getStatus().getMessage());
        }
        return resp.getPayload();
    }

    private void readLoop() {
        try {
            while (true) {
                Frame f;
                try {
                    f = codec.read();
                } catch (FrameCodec.OversizedFrameException e) {
                    CompletableFuture<Response> p = pending.remove(e.streamId());
                    if (p != null) {
                        p.completeExceptionally(new TtrpcException(TtrpcException.Code.RESOURCE_EXHAUSTED, e.getMessage()));
                    }
                    continue;
                }
                if (f == null) {
                    return;
                }
                if (f.type() != Frame.RESPONSE) {
                    continue;
                }
                CompletableFuture<Response> p = pending.remove(f.streamId());
                if (p == null) {
                    continue; // timed out or unknown
                }
                try {
                    p.complete(Response.parseFrom(f.data()));
                } catch (InvalidProtocolBufferException e) {
                    p.completeExceptionally(new TtrpcException(TtrpcException.Code.INTERNAL,
                            "ttrpc: cannot decode response: " + e.getMessage(), e));
                }
            }
        } catch (IOException | RuntimeException e) {
            // connection unusable
        } finally {
            shutdown();
        }
    }

    private TtrpcException closedError() {
        return new TtrpcException(TtrpcException.Code.UNAVAILABLE, "ttrpc: closed");
    }

    private void shutdown() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Integer id : pending.keySet()) {
            CompletableFuture<Response> p = pending.remove(id);
            if (p != null) {
                p.completeExceptionally(closedError());
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes the connection; calls in flight fail with UNAVAILABLE. */
    @Override
    public void close() {
        shutdown();
    }
}
