package io.javarun.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.javarun.protos.rpc.Status;
import io.javarun.protos.ttrpc.KeyValue;
import io.javarun.protos.ttrpc.Request;
import io.javarun.protos.ttrpc.Response;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * A ttrpc server on a Unix domain socket. Handlers are registered per "service/method"; each
 * request runs on a worker thread, so a blocking handler (Wait) holds up nobody, and replies go
 * out in completion order, exactly one Response per request. A failed request never closes the
 * connection (containerd would take that for a dead shim); only the peer's close, an unreadable
 * stream or {@link #close()} does. Peers whose uid differs from the server's are disconnected.
 */
public final class TtrpcServer implements Closeable {
    private final Map<String, MethodHandler> handlers = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Predicate<UnixDomainPrincipal> peerCheck;
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("ttrpc-call-"));
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("ttrpc-deadline-"));
    private final ThreadFactory connThreads = daemon("ttrpc-conn-");
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ServerSocketChannel listener;
    private volatile Path boundPath;

    /** A server that accepts only peers running as its own uid (SO_PEERCRED). */
    public TtrpcServer() {
        this(null);
    }

    /** A server with its own peer check (null: same uid as the server). */
    public TtrpcServer(Predicate<UnixDomainPrincipal> peerCheck) {
        this.peerCheck = peerCheck;
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Registers (or replaces) the handler of service/method. */
    public TtrpcServer register(String service, String method, MethodHandler handler) {
        handlers.put(service + "/" + method, handler);
        return this;
    }

    /** Binds a new socket at path (mode 0600) and starts accepting. */
    public void start(Path path) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        boundPath = path;
        start(ch);
    }

    /** Starts accepting on an already bound Unix socket. */
    public void start(ServerSocketChannel ch) throws IOException {
        Path path = ((UnixDomainSocketAddress) ch.getLocalAddress()).getPath();
        UserPrincipal self = Files.getOwner(path);
        Predicate<UnixDomainPrincipal> check = peerCheck != null ? peerCheck : p -> p.user().equals(self);
        listener = ch;
        Thread t = daemon("ttrpc-accept-").newThread(() -> acceptLoop(ch, check));
        t.start();
    }

    private void acceptLoop(ServerSocketChannel ch, Predicate<UnixDomainPrincipal> check) {
        while (!closed.get()) {
            SocketChannel c;
            try {
                c = ch.accept();
            } catch (IOException e) {
                if (closed.get() || e instanceof ClosedChannelException) {
                    return;
                }
                try {
                    Thread.sleep(100); // e.g. out of file descriptors: do not spin
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            Connection conn = new Connection(c);
            connections.add(conn);
            if (closed.get()) {
                conn.close();
                return;
            }
            connThreads.newThread(() -> conn.serve(check)).start();
        }
    }

    /** Stops accepting, closes every connection and removes the socket file bound by start(Path). */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ServerSocketChannel l = listener;
        if (l != null) {
            l.close();
        }
        for (Connection c : connections) {
            c.close();
        }
        workers.shutdown();
        timer.shutdownNow();
        if (boundPath != null) {
            Files.deleteIfExists(boundPath);
        }
    }

    /** One accepted connection: a reader loop plus the calls it started. */
    private final class Connection {
        private final SocketChannel channel;
        private final FrameCodec codec;
        private final Set<Call> calls = ConcurrentHashMap.newKeySet();

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.codec = new FrameCodec(channel);
        }

        void serve(Predicate<UnixDomainPrincipal> check) {
            try {
                UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
                if (!check.test(peer)) {
                    return; // rejected: closed below
                }
                while (true) {
                    Frame f;
                    try {
                        f = codec.read();
                    } catch (FrameCodec.OversizedFrameException e) {
                        if (e.type() == Frame.REQUEST) {
                            send(e.streamId(), status(TtrpcException.Code.RESOURCE_EXHAUSTED, e.getMessage()), ByteString.EMPTY);
                        }
                        continue;
                    }
                    if (f == null) {
                        return;
                    }
                    if (f.type() == Frame.REQUEST) { // other types: ignored, as ttrpc does
                        dispatch(f);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // unreadable stream or peer gone: nothing to answer
            } finally {
                close();
            }
        }

        private void dispatch(Frame f) {
            Request req;
            try {
                req = Request.parseFrom(f.data());
            } catch (InvalidProtocolBufferException e) {
                send(f.streamId(), status(TtrpcException.Code.INTERNAL, "ttrpc: cannot decode request: " + e.getMessage()), ByteString.EMPTY);
                return;
            }
            if ((f.streamId() & 1) == 0) {
                send(f.streamId(), status(TtrpcException.Code.INVALID_ARGUMENT,
                        "ttrpc: stream id " + Integer.toUnsignedString(f.streamId()) + " must be odd for client initiated streams"), ByteString.EMPTY);
                return;
            }
            MethodHandler handler = handlers.get(req.getService() + "/" + req.getMethod());
            if (handler == null) {
                boolean knownService = handlers.keySet().stream().anyMatch(k -> k.startsWith(req.getService() + "/"));
                String what = knownService ? "method " + req.getMethod() : "service " + req.getService();
                send(f.streamId(), status(TtrpcException.Code.UNIMPLEMENTED, what + ": not implemented"), ByteString.EMPTY);
                return;
            }
            Map<String, List<String>> md = new LinkedHashMap<>();
            for (KeyValue kv : req.getMetadataList()) {
                md.computeIfAbsent(kv.getKey(), k -> new ArrayList<>(1)).add(kv.getValue());
            }
            Call call = new Call(this, new CallContext(req.getService(), req.getMethod(), f.streamId(), md, req.getTimeoutNano()));
            calls.add(call);
            if (call.context.hasDeadline()) {
                call.deadline = timer.schedule(() -> call.finish(status(TtrpcException.Code.DEADLINE_EXCEEDED,
                        req.getService() + "/" + req.getMethod() + ": deadline exceeded"), ByteString.EMPTY),
                        call.context.remainingNanos(), TimeUnit.NANOSECONDS);
            }
            try {
                workers.execute(() -> call.run(handler, req.getPayload()));
            } catch (RuntimeException e) { // server closing
                call.finish(status(TtrpcException.Code.UNAVAILABLE, "ttrpc: server closed"), ByteString.EMPTY);
            }
        }

        void send(int streamId, Status status, ByteString payload) {
            Response.Builder r = Response.newBuilder().setStatus(status);
            if (!payload.isEmpty()) {
                r.setPayload(payload);
            }
            byte[] data = r.build().toByteArray();
            if (data.length > FrameCodec.MAX_DATA) {
                data = Response.newBuilder().setStatus(status(TtrpcException.Code.RESOURCE_EXHAUSTED,
                        "message length " + data.length + " exceed maximum message size of " + FrameCodec.MAX_DATA)).build().toByteArray();
            }
            try {
                codec.write(new Frame(streamId, Frame.RESPONSE, (byte) 0, data));
            } catch (IOException e) {
                close(); // the reader sees the closed channel and ends
            }
        }

        void close() {
            connections.remove(this);
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            for (Call c : calls) {
                c.context.cancel();
            }
        }
    }

    /** One request: answered exactly once, by its handler or its deadline, whichever comes first. */
    private static final class Call {
        final Connection conn;
        final CallContext context;
        final AtomicBoolean answered = new AtomicBoolean();
        volatile ScheduledFuture<?> deadline;

        Call(Connection conn, CallContext context) {
            this.conn = conn;
            this.context = context;
        }

        void run(MethodHandler handler, ByteString payload) {
            if (answered.get()) {
                return;
            }
            Status st;
            ByteString out = ByteString.EMPTY;
            try {
                MessageLite reply = handler.handle(context, payload);
                if (reply == null) {
                    st = status(TtrpcException.Code.UNKNOWN, "ttrpc: handler returned no reply");
                } else {
                    st = Status.getDefaultInstance();
                    out = reply.toByteString();
                }
            } catch (TtrpcException e) {
                st = status(e.code(), e.getMessage());
            } catch (InterruptedException e) {
                st = status(TtrpcException.Code.CANCELLED, context.service() + "/" + context.method() + ": canceled");
            } catch (Exception e) {
                st = status(TtrpcException.Code.UNKNOWN, String.valueOf(e.getMessage() != null ? e.getMessage() : e));
            } catch (Error e) {
                finish(status(TtrpcException.Code.INTERNAL, "ttrpc: " + e), ByteString.EMPTY);
                throw e;
            }
            finish(st, out);
        }

        void finish(Status st, ByteString payload) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            conn.calls.remove(this);
            context.cancel();
            conn.send(context.streamId(), st, payload);
        }
    }

    static Status status(TtrpcException.Code code, String message) {
        return Status.newBuilder().setCode(code.value()).setMessage(message).build();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
