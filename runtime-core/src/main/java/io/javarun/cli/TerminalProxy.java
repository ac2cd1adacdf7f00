package io.javarun.cli;

import io.javarun.container.Containers;
import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * javarun's own terminal relayed to the container's pty, for a foreground `run` or `exec -t`
 * without --console-socket (runc does the same): the pty master arrives on a private console
 * socket, javarun's terminal goes raw, the window size follows (SIGWINCH), and bytes are copied
 * both ways until the container's side closes.
 */
final class TerminalProxy implements Containers.TerminalRelay {
    /** Opens proxies; a class rather than a lambda (no invokedynamic on the CLI's path). */
    static final class Factory implements Containers.TerminalRelayFactory {
        @Override
        public Containers.TerminalRelay open() throws IOException, ErrnoException {
            return new TerminalProxy();
        }
    }

    private final Path dir;
    private final Path socket;
    private final int listenFd;
    private int master = -1;
    private byte[] saved;
    private Thread output;

    private TerminalProxy() throws IOException, ErrnoException {
        LinuxNative.load();
        // A directory of our own (mode 0700): nobody else can connect to the socket first.
        dir = Files.createTempDirectory("javarun-tty");
        socket = dir.resolve("console.sock");
        int fd;
        try {
            fd = LinuxNative.unixListen(socket.toString());
        } catch (ErrnoException e) {
            Files.deleteIfExists(dir);
            throw e;
        }
        listenFd = fd;
    }

    @Override
    public String consoleSocket() {
        return socket.toString();
    }

    @Override
    public void attach() throws ErrnoException {
        master = LinuxNative.receiveFd(listenFd);
        if (LinuxNative.isatty(0)) {
            saved = LinuxNative.makeRaw(0);
            LinuxNative.followWindowSize(0, master);
        }
        final int pty = master;
        Thread input = new Thread("tty-in") {
            @Override
            public void run() {
                LinuxNative.copyUntilEnd(0, pty);
            }
        };
        input.setDaemon(true);
        input.start();
        output = new Thread("tty-out") {
            @Override
            public void run() {
                LinuxNative.copyUntilEnd(pty, 1);
            }
        };
        output.setDaemon(true);
        output.start();
    }

    @Override
    public void close() {
        if (output != null) {
            try {
                // The pty reads EIO once every holder of its other side is gone: whatever the
                // process wrote last is through by then. A background child keeping it open
                // must not hold javarun forever.
                output.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (saved != null) {
            LinuxNative.restoreTerminal(0, saved);
        }
        LinuxNative.closeQuietly(master);
        LinuxNative.closeQuietly(listenFd);
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A temp directory left behind is all that can go wrong here.
        }
    }
}
