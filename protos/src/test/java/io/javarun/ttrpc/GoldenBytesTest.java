package io.javarun.ttrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.protos.rpc.Status;
import io.javarun.protos.task.ConnectRequest;
import io.javarun.protos.task.ConnectResponse;
import io.javarun.protos.task.TaskService;
import io.javarun.protos.ttrpc.KeyValue;
import io.javarun.protos.ttrpc.Request;
import io.javarun.protos.ttrpc.Response;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked example of reference/containerd-shim-v2.md section 2, byte for byte. */
class GoldenBytesTest {
    static final byte[] REQUEST = Hex.bytes("00 00 00 4f|00 00 00 01|01|00| 0a 17 \"containerd.task.v2.Task\" 12 07 \"Connect\""
            + " 1a 05 0a 03 \"abc\" 2a 24 0a 1a \"containerd-namespace-ttrpc\" 12 06 \"k8s.io\"");
    static final byte[] RESPONSE = Hex.bytes("00 00 00 0a|00 00 00 01|02|00| 0a 00 12 06 08 d2 09 10 ae 2c");
    static final byte[] ERROR = Hex.bytes("00 00 00 26|00 00 00 01|02|00| 0a 24 08 05 12 20 \"container not created: not found\"");

    @TempDir
    Path dir;

    @Test
    void encodesConnectRequest() {
        Request req = Request.newBuilder()
                .setService("containerd.task.v2.Task")
                .setMethod("Connect")
                .setPayload(ConnectRequest.newBuilder().setId("abc").build().toByteString())
                .addMetadata(KeyValue.newBuilder().setKey("containerd-namespace-ttrpc").setValue("k8s.io"))
                .build();
        byte[] wire = FrameCodec.encode(new Frame(1, Frame.REQUEST, (byte) 0, req.toByteArray()));
        assertEquals(Hex.hex(REQUEST), Hex.hex(wire));
    }

    @Test
    void decodesConnectRequest() throws Exception {
        Frame f = new FrameCodec(channelOf(REQUEST)).read();
        assertEquals(1, f.streamId());
        assertEquals(Frame.REQUEST, f.type());
        assertEquals(0, f.flags());
        Request req = Request.parseFrom(f.data());
        assertEquals("containerd.task.v2.Task", req.getService());
        assertEquals("Connect", req.getMethod());
        assertEquals(0, req.getTimeoutNano());
        assertEquals("abc", ConnectRequest.parseFrom(req.getPayload()).getId());
        assertEquals(1, req.getMetadataCount());
        assertEquals("containerd-namespace-ttrpc", req.getMetadata(0).getKey());
        assertEquals("k8s.io", req.getMetadata(0).getValue());
    }

    @Test
    void encodesResponses() {
        Response ok = Response.newBuilder().setStatus(Status.getDefaultInstance())
                .setPayload(ConnectResponse.newBuilder().setShimPid(1234).setTaskPid(5678).build().toByteString())
                .build();
        assertEquals(Hex.hex(RESPONSE), Hex.hex(FrameCodec.encode(new Frame(1, Frame.RESPONSE, (byte) 0, ok.toByteArray()))));
        Response err = Response.newBuilder()
                .setStatus(Status.newBuilder().setCode(5).setMessage("container not created: not found"))
                .build();
        assertEquals(Hex.hex(ERROR), Hex.hex(FrameCodec.encode(new Frame(1, Frame.RESPONSE, (byte) 0, err.toByteArray()))));
    }

    @Test
    void decodesResponses() throws Exception {
        Frame f = new FrameCodec(channelOf(RESPONSE)).read();
        assertEquals(Frame.RESPONSE, f.type());
        Response ok = Response.parseFrom(f.data());
        assertTrue(ok.hasStatus());
        assertEquals(0, ok.getStatus().getCode());
        ConnectResponse cr = ConnectResponse.parseFrom(ok.getPayload());
        assertEquals(1234, cr.getShimPid());
        assertEquals(5678, cr.getTaskPid());
        assertEquals("", cr.getVersion());

        Response err = Response.parseFrom(new FrameCodec(channelOf(ERROR)).read().data());
        assertEquals(TtrpcException.Code.NOT_FOUND, TtrpcException.Code.of(err.getStatus().getCode()));
        assertEquals("container not created: not found", err.getStatus().getMessage());
        assertTrue(err.getPayload().isEmpty());
    }

    /** The server, fed the golden request, answers with the golden bytes. */
    @Test
    void serverAnswersWithGoldenBytes() throws Exception {
        Path sock = dir.resolve("s");
        boolean[] fail = {false};
        try (TtrpcServer server = new TtrpcServer()) {
            server.register("containerd.task.v2.Task", "Connect", MethodHandler.of(ConnectRequest.parser(), (ctx, req) -> {
                assertEquals("k8s.io", ctx.namespace());
                if (fail[0]) {
                    throw TtrpcException.notFound("container not created");
                }
                assertEquals("abc", req.getId());
                return ConnectResponse.newBuilder().setShimPid(1234).setTaskPid(5678).build();
            }));
            server.start(sock);
            try (RawConnection c = new RawConnection(sock)) {
                c.writeBytes(REQUEST);
                assertArrayEquals(RESPONSE, c.readRaw(), "OK response");
                fail[0] = true;
                c.writeBytes(REQUEST);
                assertArrayEquals(ERROR, c.readRaw(), "NotFound response");
            }
        }
        assertFalse(sock.toFile().exists(), "close removes the socket");
    }

    /**
     * The client, through the generated TaskService.Client, sends exactly the golden request and
     * decodes the golden replies.
     */
    @Test
    void clientSpeaksGoldenBytes() throws Exception {
        Path sock = dir.resolve("peer");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(sock));
            try (TtrpcClient client = TtrpcClient.connect(sock); SocketChannel peer = listener.accept()) {
                FrameCodec raw = new FrameCodec(peer);
                var reply = connectAbc(client);
                assertEquals(Hex.hex(REQUEST), Hex.hex(FrameCodec.encode(raw.read())));
                peer.write(ByteBuffer.wrap(RESPONSE));
                ConnectResponse r = reply.get(10, TimeUnit.SECONDS);
                assertEquals(1234, r.getShimPid());
                assertEquals(5678, r.getTaskPid());

                // the next call is stream 3; answer it with the golden error, renumbered
                var failed = connectAbc(client);
                Frame second = raw.read();
                assertEquals(3, second.streamId());
                byte[] err = ERROR.clone();
                err[7] = 3;
                peer.write(ByteBuffer.wrap(err));
                ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
                TtrpcException te = (TtrpcException) e.getCause();
                assertEquals(TtrpcException.Code.NOT_FOUND, te.code());
                assertEquals("container not created: not found", te.getMessage());
            }
        }
    }

    /** Connect{id:"abc"} in namespace k8s.io through the generated client, answered in the background. */
    private static CompletableFuture<ConnectResponse> connectAbc(TtrpcClient client) {
        TaskService.Client tasks = new TaskService.Client(client);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return tasks.connect(ConnectRequest.newBuilder().setId("abc").build(),
                        Map.of("containerd-namespace-ttrpc", "k8s.io"), null);
            } catch (TtrpcException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static ChunkedChannel channelOf(byte[] b) {
        return new ChunkedChannel(b, 1 << 20);
    }
}
