package io.javarun.shim.io;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;

/**
 * Copies one fd to another on its own thread until end of file (or an error on either side),
 * then closes both. The destination may be closed early by {@link #closeDestination()} (CloseIO
 * on stdin): writes and that close are serialised, so a closed fd number is never written to.
 */
final class Copier extends Thread {
    private int from;
    private int to;
    private final Object toLock = new Object();
    /** A FIFO to open on this thread first: its open blocks until the client opens the other end. */
    private final String fromPath;

    Copier(String name, int from, int to) {
        super(name);
        this.from = from;
        this.to = to;
        this.fromPath = null;
        setDaemon(true);
    }

    Copier(String name, String fromPath, int to) {
        super(name);
        this.from = -1;
        this.to = to;
        this.fromPath = fromPath;
        setDaemon(true);
    }

    @Override
    public void run() {
        byte[] buf = new byte[32 * 1024];
        try {
            if (fromPath != null) {
                from = LinuxNative.open(fromPath, LinuxNative.O_RDONLY, 0);
            }
            for (;;) {
                int n = LinuxNative.read(from, buf, 0, buf.length);
                if (n <= 0) {
                    break;
                }
                synchronized (toLock) {
                    if (to < 0) {
                        break;
                    }
                    LinuxNative.writeFully(to, buf, 0, n);
                }
            }
        } catch (ErrnoException e) {
            // EIO from a pty master whose process is gone, EPIPE from a reader that left: the end.
        } finally {
            LinuxNative.closeQuietly(from);
            closeDestination();
        }
    }

    /** Closes the destination now (idempotent); the copy stops at its next write. */
    void closeDestination() {
        synchronized (toLock) {
            if (to >= 0) {
                LinuxNative.closeQuietly(to);
                to = -1;
            }
        }
    }

    /** A copy that was never started (its process never came to be): closes both its fds. */
    void discardIfUnstarted() {
        if (getState() == Thread.State.NEW) {
            LinuxNative.closeQuietly(from);
            closeDestination();
        }
    }

    /** Ends a copy still blocked opening its FIFO (no client ever came) by being that client. */
    void unblockOpen() {
        if (fromPath != null && from < 0 && isAlive()) {
            try {
                LinuxNative.closeQuietly(LinuxNative.open(fromPath, LinuxNative.O_WRONLY | LinuxNative.O_NONBLOCK, 0));
            } catch (ErrnoException e) {
                // ENXIO: no reader (any more): nothing blocks.
            }
        }
    }

    /** Waits until the copy has ended; false if it had not after {@code millis}. */
    boolean awaitEnd(long millis) {
        try {
            join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !isAlive();
    }
}
