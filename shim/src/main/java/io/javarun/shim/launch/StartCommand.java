package io.javarun.shim.launch;

import io.javarun.json.Json;
import io.javarun.json.JsonException;
import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.state.StateException;
import io.javarun.state.StateStore;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code start}: find or launch the shim daemon of the task's group and print its address.
 * containerd reads our combined output as the address, so nothing else may be printed, and the
 * daemon must not hold our stdout or stderr (containerd waits for their end).
 */
final class StartCommand {
    private StartCommand() {}

    static String run(ShimFlags f) throws IOException, ErrnoException, StateException {
        Path bundle = Path.of("").toAbsolutePath();
        Map<?, ?> annotations = null;
        try {
            Object config = Json.parse(Files.readString(bundle.resolve("config.json")));
            if (config instanceof Map<?, ?> m && m.get("annotations") instanceof Map<?, ?> a) {
                annotations = a;
            }
        } catch (JsonException e) {
            throw new IOException("read " + bundle.resolve("config.json") + ": " + e.getMessage());
        }
        Path socket = ShimSocket.path(f.address(), f.namespace(), ShimSocket.group(f.id(), annotations));
        String address = "unix://" + socket;
        if (ShimSocket.isLive(socket) || askRunningDaemon(ShimSocket.controlPath(f.address(), f.namespace()), socket)) {
            StateStore.writeAtomically(bundle.resolve("address"), address);
            return address;
        }
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        LinuxNative.load();
        int listenFd = LinuxNative.unixListen(socket.toString());
        try {
            launchDaemon(f, listenFd, bundle);
        } catch (IOException | ErrnoException e) {
            Files.deleteIfExists(socket);
            throw e;
        } finally {
            LinuxNative.close(listenFd);
        }
        StateStore.writeAtomically(bundle.resolve("address"), address);
        return address;
    }

    /** Asks the namespace's daemon, if one runs, to serve the group's socket too; false if it cannot. */
    private static boolean askRunningDaemon(Path control, Path socket) {
        if (!Files.exists(control)) {
            return false;
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(control))) {
            c.write(ByteBuffer.wrap(("LISTEN " + socket + "\n").getBytes(StandardCharsets.UTF_8)));
            return Daemon.readLine(c).equals("OK") && ShimSocket.isLive(socket);
        } catch (IOException e) {
            // No daemon there any more (or one on its way out): start one.
            return false;
        }
    }

    /**
     * The daemon: the launcher script again with the action "daemon", in a new session, the
     * listening socket as its stdin (the JDK's inherited channel), stderr to the bundle's log FIFO.
     */
    private static void launchDaemon(ShimFlags f, int listenFd, Path bundle) throws IOException, ErrnoException {
        String launcher = System.getenv("JAVARUN_SHIM_LAUNCHER");
        if (launcher == null || launcher.isEmpty()) {
            throw new IOException("JAVARUN_SHIM_LAUNCHER is not set: run the shim through containerd-shim-javarun-v2");
        }
        List<String> argv = new ArrayList<>();
        argv.add(launcher);
        argv.addAll(f.raw());
        argv.add("daemon");
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        int devNull = LinuxNative.open("/dev/null", LinuxNative.O_RDWR, 0);
        int log = devNull;
        Path logFifo = bundle.resolve("log");
        if (Files.exists(logFifo)) {
            // Read+write: the open never blocks, whether or not containerd reads it yet.
            log = LinuxNative.open(logFifo.toString(), LinuxNative.O_RDWR, 0);
        }
        try {
            int pid = LinuxNative.spawn(launcher, argv.toArray(new String[0]), env.toArray(new String[0]),
                    new int[] {listenFd, 0, devNull, 1, log, 2}, true);
            raiseOomScore(pid);
        } finally {
            LinuxNative.close(devNull);
            if (log != devNull) {
                LinuxNative.close(log);
            }
        }
    }

    /** As runc's shim: containerd's oom_score_adj + 1, so the OOM killer takes a shim before containerd. */
    private static void raiseOomScore(int daemonPid) {
        try {
            long containerd = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L);
            if (containerd <= 0) {
                return;
            }
            int score = Integer.parseInt(Files.readAllLines(Path.of("/proc/" + containerd + "/oom_score_adj")).get(0)
                    .trim());
            Files.writeString(Path.of("/proc/" + daemonPid + "/oom_score_adj"), Integer.toString(Math.min(1000,
                    score + 1)));
        } catch (IOException | RuntimeException e) {
            // Best effort, as runc's shim: the score is advice to the OOM killer.
        }
    }
}
