package io.javarun.shim.io;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A console socket (runc's --console-socket): the helper makes the pty inside the container and
 * sends its master here over SCM_RIGHTS. The accept runs on its own thread from the start, since
 * the container connects in the middle of create.
 */
final class Console implements AutoCloseable {
    private final Path dir;
    private final Path path;
    private final int listenFd;
    private final CompletableFuture<Integer> master = new CompletableFuture<>();
    private volatile boolean taken;

    private Console(Path dir, Path path, int listenFd) {
        this.dir = dir;
        this.path = path;
        this.listenFd = listenFd;
    }

    static Console listen(Path parent) throws IOException, ErrnoException {
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, "pty");
        Path path = dir.resolve("s");
        int fd;
        try {
            fd = LinuxNative.unixListen(path.toString());
        } catch (ErrnoException e) {
            Files.deleteIfExists(dir);
            throw e;
        }
        Console c = new Console(dir, path, fd);
        Thread t = new Thread(c::accept, "console-socket");
        t.setDaemon(true);
        t.start();
        return c;
    }

    private void accept() {
        try {
            master.complete(LinuxNative.receiveFd(listenFd));
        } catch (ErrnoException e) {
            master.completeExceptionally(e);
        }
    }

    Path path() {
        return path;
    }

    /** The master the container sent; it has been sent by the time create or exec returns. */
    int takeMaster() throws IOException {
        try {
            int fd = master.get(10, TimeUnit.SECONDS);
            taken = true;
            return fd;
        } catch (ExecutionException e) {
            throw new IOException("receive the terminal: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("receive the terminal: nothing came on " + path + " within 10s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("receive the terminal: interrupted");
        }
    }

    /** Stops a pending accept (by connecting to it: closing a listening fd does not wake accept). */
    @Override
    public void close() {
        if (!master.isDone()) {
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                // Connected and closed: the accept returns and finds no fd.
            } catch (IOException e) {
                // Nobody listening any more.
            }
        }
        LinuxNative.closeQuietly(listenFd);
        if (!taken && master.isDone() && !master.isCompletedExceptionally()) {
            LinuxNative.closeQuietly(master.join());
        }
        try {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A private temp directory; nothing else depends on it.
        }
    }
}
