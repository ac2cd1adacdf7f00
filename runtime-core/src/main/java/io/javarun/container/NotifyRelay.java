package io.javarun.container;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.spec.Mount;
import io.javarun.spec.Spec;
import io.javarun.state.ProcessProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * systemd's sd_notify across the container boundary, as runc does it (NOTIFY_SOCKET): create
 * bind-mounts a directory of the state dir at /run/notify and points the process's NOTIFY_SOCKET
 * there; start (and run) bind a datagram socket in it, release the process, and wait for its
 * READY=1, which goes on to the host's notify socket with MAINPID, so that systemd watches the
 * container's process. Other messages (STATUS=...) are dropped, as runc 1.1 drops them. A unit of
 * Type=notify running `javarun run -d` then works.
 */
final class NotifyRelay {
    private static final String IN_CONTAINER_DIR = "/run/notify";
    private static final String SOCKET = "notify.sock";

    private NotifyRelay() {}

    static Path hostDir(Path stateDir) {
        return stateDir.resolve("notify");
    }

    /** create: the notify directory, its read-only bind mount and the process's NOTIFY_SOCKET. */
    static Spec prepare(Spec spec, Path stateDir) throws IOException {
        Path dir = hostDir(stateDir);
        Files.createDirectories(dir);
        Mount m = new Mount(IN_CONTAINER_DIR, "bind", dir.toString(), List.of("bind", "nosuid", "noexec", "nodev", "ro"));
        return spec.withMount(m).withProcessEnv("NOTIFY_SOCKET=" + IN_CONTAINER_DIR + "/" + SOCKET);
    }

    /** start: the socket the container sends to, bound before the process can run. -1: none prepared. */
    static int bind(Path stateDir) throws ErrnoException {
        Path dir = hostDir(stateDir);
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        return LinuxNative.unixDatagramBind(dir.resolve(SOCKET).toString());
    }

    /**
     * Waits until the process says READY=1, then tells {@code hostSocket} "READY=1" and its
     * MAINPID (runc's messages), or until the process is gone. Closes {@code fd}.
     */
    static void relay(int fd, String hostSocket, int pid, long startTime) throws ErrnoException {
        try {
            while (true) {
                byte[] message = LinuxNative.receiveDatagram(fd, 100);
                if (message == null) {
                    if (!ProcessProbe.isSame(pid, startTime)) {
                        return;
                    }
                    continue;
                }
                for (String line : new String(message, StandardCharsets.UTF_8).split("\n")) {
                    if (line.trim().equals("READY=1")) {
                        LinuxNative.sendDatagram(hostSocket, "READY=1\n".getBytes(StandardCharsets.UTF_8));
                        LinuxNative.sendDatagram(hostSocket, ("MAINPID=" + pid + "\n").getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                }
            }
        } finally {
            LinuxNative.close(fd);
        }
    }
}
