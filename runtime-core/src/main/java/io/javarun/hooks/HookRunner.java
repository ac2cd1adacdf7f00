package io.javarun.hooks;

import io.javarun.spec.Hooks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs OCI hooks on the host: each with the container's state JSON on stdin, its own args and
 * environment (nothing inherited), killed when its timeout passes.
 *
 * <p>Uses java.lang.Process: fine in the CLI, which never waits for arbitrary children. The shim
 * (one reaper for all children) will spawn hooks through its reaper instead.
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
        List<String> args = hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
        ProcessBuilder pb = new ProcessBuilder(args);
        // args[0] is only argv[0]: the binary is always hook.path.
        pb.command().set(0, hook.path());
        pb.environment().clear();
        for (String e : hook.env()) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        pb.redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new HookException(name + " (" + hook.path() + "): " + e.getMessage());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> copy(p.getInputStream(), output), "hook-output");
        drain.setDaemon(true);
        drain.start();
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(stateJson.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // A hook that does not read its stdin is fine (EPIPE).
        }
        try {
            boolean done = hook.timeout() == null ? waitFully(p) : p.waitFor(hook.timeout(), TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor();
                throw new HookException(name + " (" + hook.path() + ") timed out after " + hook.timeout() + "s");
            }
            drain.join(1000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HookException(name + " (" + hook.path() + ") interrupted");
        }
        if (p.exitValue() != 0) {
            String out = output.toString(StandardCharsets.UTF_8).trim();
            throw new HookException(name + " (" + hook.path() + ") failed with exit status " + p.exitValue()
                    + (out.isEmpty() ? "" : ": " + out));
        }
    }

    private static boolean waitFully(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // The hook closed its output: whatever came before is kept.
        }
    }
}
