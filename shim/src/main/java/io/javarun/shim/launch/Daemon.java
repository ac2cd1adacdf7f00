package io.javarun.shim.launch;

import io.javarun.protos.task.TaskService;
import io.javarun.shim.events.EventPublisher;
import io.javarun.shim.process.Reaper;
import io.javarun.shim.task.TaskServer;
import io.javarun.ttrpc.TtrpcServer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * The shim daemon: a subreaper serving the task service of one or more groups (pods), each on its
 * own socket as containerd expects. The first group's socket comes from {@code start} as stdin;
 * later groups of the same containerd namespace are added through a control socket, so a node
 * runs one JVM per namespace rather than one per pod (the JVM's memory is paid once). A group's
 * socket closes at its Shutdown once it has no containers; the daemon exits a while after its last
 * group (see {@link #lingerThenExit()}), or on SIGTERM.
 */
final class Daemon {
    private static final long LINGER_MILLIS = lingerMillis();

    private final String namespace;
    private final Path stateBase;
    private final Path consoleDir;
    private final Consumer<String> log;
    private final Reaper reaper;
    private final EventPublisher events;
    private final Map<Path, Group> groups = new LinkedHashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private boolean exiting;
    private ServerSocketChannel control;
    private Path controlPath;

    private record Group(Path socket, TtrpcServer server, TaskServer tasks) {}

    private Daemon(String namespace, Path stateBase, Path consoleDir, Consumer<String> log, Reaper reaper,
            EventPublisher events) {
        this.namespace = namespace;
        this.stateBase = stateBase;
        this.consoleDir = consoleDir;
        this.log = log;
        this.reaper = reaper;
        this.events = events;
    }

    static void run(ShimFlags f, Path stateBase, Path consoleDir, Consumer<String> log) throws Exception {
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof ServerSocketChannel listener)) {
            throw new IOException("the daemon expects its listening socket as stdin (started by the shim's start)");
        }
        Path socket = ((UnixDomainSocketAddress) listener.getLocalAddress()).getPath();
        Reaper reaper = Reaper.start();
        String ttrpc = System.getenv("TTRPC_ADDRESS");
        if (ttrpc == null || ttrpc.isEmpty()) {
            ttrpc = f.address() + ".ttrpc";
        }
        EventPublisher events = new EventPublisher(Path.of(ttrpc.replaceFirst("^unix://", "")), f.namespace(), log);
        Daemon d = new Daemon(f.namespace(), stateBase, consoleDir, log, reaper, events);
        d.serve(socket, listener);
        d.openControl(ShimSocket.controlPath(f.address(), f.namespace()));
        Signal.handle(new Signal("TERM"), s -> d.exitNow());
        d.done.await();
        events.close();
    }

    /** Serves the task service on a group's socket: the inherited listener, or a new one bound at {@code socket}. */
    private synchronized void serve(Path socket, ServerSocketChannel listener) throws IOException {
        TaskServer tasks = new TaskServer(namespace, stateBase, consoleDir, reaper, events, log,
                () -> groupIdle(socket));
        TtrpcServer server = new TtrpcServer();
        TaskService.register(server, "containerd.task.v2.Task", tasks);
        TaskService.register(server, "containerd.task.v3.Task", tasks);
        if (listener != null) {
            server.start(listener);
        } else {
            server.start(socket);
        }
        groups.put(socket, new Group(socket, server, tasks));
        notifyAll();
    }

    /**
     * A group was shut down with no containers left: its socket goes (after the Shutdown reply is
     * out), and with the last group the daemon.
     */
    private void groupIdle(Path socket) {
        Thread t = new Thread(() -> {
            sleep(50);
            synchronized (this) {
                Group g = groups.remove(socket);
                if (g != null) {
                    close(g);
                }
            }
            lingerThenExit();
        }, "group-shutdown");
        t.start();
    }

    /**
     * With no group left, the daemon stays a little (JAVARUN_SHIM_LINGER seconds, default 30)
     * for the next pod, which then skips a JVM start; it exits if none comes.
     */
    private void lingerThenExit() {
        long deadline = System.currentTimeMillis() + LINGER_MILLIS;
        synchronized (this) {
            while (groups.isEmpty() && !exiting) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    exiting = true;
                    closeControl();
                    done.countDown();
                    return;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** SIGTERM: every group goes at once. */
    private synchronized void exitNow() {
        exiting = true;
        closeControl();
        for (Group g : groups.values()) {
            if (!g.tasks().isIdle()) {
                log.accept("shim exiting on SIGTERM with containers left in group " + g.socket());
            }
            close(g);
        }
        groups.clear();
        done.countDown();
    }

    private void close(Group g) {
        try {
            g.server().close();
            Files.deleteIfExists(g.socket());
        } catch (IOException e) {
            log.accept("close " + g.socket() + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the control socket

    /**
     * Binds the control socket (root only, 0600) unless a live daemon holds it already: then this
     * daemon serves its own group only, and nothing is taken from the other.
     */
    private void openControl(Path path) {
        try {
            Files.createDirectories(path.getParent());
            if (ShimSocket.isLive(path)) {
                return;
            }
            Files.deleteIfExists(path);
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            synchronized (this) {
                control = ch;
                controlPath = path;
            }
            Thread t = new Thread(() -> acceptControl(ch), "shim-control");
            t.setDaemon(true);
            t.start();
        } catch (IOException e) {
            log.accept("control socket " + path + ": " + e.getMessage() + " (this daemon serves its own group only)");
        }
    }

    private void acceptControl(ServerSocketChannel ch) {
        for (;;) {
            try (SocketChannel c = ch.accept()) {
                String request = readLine(c);
                String reply = handle(request);
                c.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                if (!ch.isOpen()) {
                    return;
                }
            }
        }
    }

    /** "LISTEN /run/containerd/s/HEX": serve that group's socket too. */
    private synchronized String handle(String request) {
        if (!request.startsWith("LISTEN ")) {
            return "ERR unknown request";
        }
        Path socket = Path.of(request.substring("LISTEN ".length()));
        if (!ShimSocket.isGroupSocket(socket)) {
            return "ERR not a group socket: " + socket;
        }
        if (exiting) {
            return "ERR exiting";
        }
        if (groups.containsKey(socket)) {
            return "OK";
        }
        try {
            Files.deleteIfExists(socket);
            serve(socket, null);
            return "OK";
        } catch (IOException e) {
            return "ERR " + e.getMessage();
        }
    }

    private void closeControl() {
        if (control != null) {
            try {
                control.close();
                Files.deleteIfExists(controlPath);
            } catch (IOException e) {
                log.accept("close " + controlPath + ": " + e.getMessage());
            }
            control = null;
        }
    }

    static String readLine(SocketChannel c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (buf.hasRemaining()) {
            if (c.read(buf) < 0) {
                break;
            }
            if (buf.get(buf.position() - 1) == '\n') {
                break;
            }
        }
        String s = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static long lingerMillis() {
        String s = System.getenv("JAVARUN_SHIM_LINGER");
        try {
            return s == null || s.isEmpty() ? 30_000 : Math.max(0, Long.parseLong(s.trim())) * 1000;
        } catch (NumberFormatException e) {
            return 30_000;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
