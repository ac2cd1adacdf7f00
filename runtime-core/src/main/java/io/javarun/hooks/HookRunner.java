package io.javarun.hooks;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.process.ChildProcess;
import io.javarun.process.Children;
import io.javarun.spec.Hooks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs OCI hooks on the host: each with the container's state JSON on stdin, its own args and
 * environment (nothing inherited), killed when its timeout passes.
 *
 * <p>Spawned and waited for through {@link Children}, not java.lang.Process: in the shim one
 * reaper collects every child, and the JDK's own waitpid would race it for the hook's status.
 */
public final class HookRunner {
    private HookRunner() {}

    /** A hook failed or timed out; the message holds its stderr. */
    public static final class HookException extends Exception {
        public HookException(String message) {
            super(message);
        }
    }

    public static void runAll(String kind, List<Hooks.Hook> hooks, String stateJson) throws HookException {
        for (int i = 0; i < hooks.size(); i++) {
            run(kind + " hook #" + i, hooks.get(i), stateJson);
        }
    }

    public static void run(String name, Hooks.Hook hook, String stateJson) throws HookException {
        String what = name + " (" + hook.path() + ")";
        List<String> args = hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
        LinuxNative.load();
        int[] stdin;
        int[] output;
        int pid;
        try {
            stdin = LinuxNative.pipe();
        } catch (ErrnoException e) {
            throw new HookException(what + ": " + e.getMessage());
        }
        try {
            output = LinuxNative.pipe();
        } catch (ErrnoException e) {
            LinuxNative.closeQuietly(stdin[0], stdin[1]);
            throw new HookException(what + ": " + e.getMessage());
        }
        try {
            // args[0] is only argv[0]: the binary is always hook.path.
            pid = Children.current().spawn(hook.path(), args.toArray(new String[0]),
                    hook.env().toArray(new String[0]), new int[] {stdin[0], 0, output[1], 1, output[1], 2}, false);
        } catch (ErrnoException e) {
            LinuxNative.closeQuietly(stdin[0], stdin[1], output[0], output[1]);
            throw new HookException(what + ": fork/exec " + hook.path() + ": " + e.reason().toLowerCase());
        }
        LinuxNative.closeQuietly(stdin[0], output[1]);
        OutputDrain drain = new OutputDrain(output[0]);
        drain.start();
        try {
            byte[] state = stateJson.getBytes(StandardCharsets.UTF_8);
            LinuxNative.writeFully(stdin[1], state, 0, state.length);
        } catch (ErrnoException e) {
            // A hook that does not read its stdin is fine (EPIPE).
        } finally {
            LinuxNative.closeQuietly(stdin[1]);
        }
        int status;
        try {
            status = hook.timeout() == null ? Children.current().await(pid)
                    : Children.current().await(pid, hook.timeout() * 1000L);
            if (status == -1) {
                ChildProcess.killAndReap(pid);
                throw new HookException(what + " timed out after " + hook.timeout() + "s");
            }
        } catch (ErrnoException e) {
            throw new HookException(what + ": wait: " + e.getMessage());
        }
        String out = drain.text();
        int code = Children.exitCode(status);
        if (code != 0) {
            throw new HookException(what + " failed with exit status " + code + (out.isEmpty() ? "" : ": " + out));
        }
    }

    /** Collects the hook's stdout and stderr until they close (or briefly after it exits). */
    private static final class OutputDrain extends Thread {
        private final int fd;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        OutputDrain(int fd) {
            super("hook-output");
            this.fd = fd;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = LinuxNative.read(fd, buf, 0, buf.length)) > 0) {
                    synchronized (out) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (ErrnoException e) {
                // The hook closed its output: whatever came before is kept.
            } finally {
                LinuxNative.closeQuietly(fd);
            }
        }

        /** The output so far; a child the hook left behind may hold the pipe open, so do not wait long. */
        String text() {
            try {
                join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8).trim();
            }
        }
    }
}
