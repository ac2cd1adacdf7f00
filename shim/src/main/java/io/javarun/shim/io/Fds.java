package io.javarun.shim.io;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;

/** Closing fds the shim owns, where a failed close has nothing left to act on. */
final class Fds {
    private Fds() {}

    static void close(int... fds) {
        for (int fd : fds) {
            if (fd < 0) {
                continue;
            }
            try {
                LinuxNative.close(fd);
            } catch (ErrnoException e) {
                // EBADF would be our bug, EIO a device's: either way the fd is gone.
            }
        }
    }
}
