package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Signals sent to a foreground {@code run} go to the container's process, as ^C or a supervisor's
 * SIGTERM would. The container's shell traps them (pid 1 of a pid namespace ignores signals it has
 * no handler for) and says which it got.
 */
class SignalTest extends ItBase {
    /** The signals the test sends, with a trap each; TERM ends the container with exit code 7. */
    private static String trapScript(List<String> signals) {
        StringBuilder sb = new StringBuilder();
        for (String s : signals) {
            sb.append("trap \"echo got ").append(s).append("\" ").append(s).append("; ");
        }
        return sb + "trap \"echo got TERM; exit 7\" TERM; echo ready; while true; do sleep 0.1; done";
    }

    /**
     * Starts a foreground run of {@code b} as a user's shell would: through {@code env
     * --default-signal}, so that no signal is inherited as ignored from however the tests were
     * started (a shell's background job ignores SIGINT and SIGQUIT).
     */
    private static Runtime.Call runInForeground(Harness h, Bundle b, String id) {
        b.write();
        return h.startWrapped(List.of("env", "--default-signal"), "run", "--bundle", b.dir().toString(), id);
    }

    /** The pid of the runtime CLI this test started for container {@code id} (a child of this JVM). */
    private static long cliPid(Harness h, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (ProcessHandle p : ProcessHandle.current().children().toList()) {
                List<String> cmd = List.of(Procs.read(Path.of("/proc", Long.toString(p.pid()), "cmdline")).orElse("").split("\0"));
                if (cmd.contains(h.rt().root().toString()) && cmd.get(cmd.size() - 1).equals(id) && !cmd.get(0).endsWith("env")) {
                    return p.pid();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no runtime process for " + id + " among this JVM's children after 30s");
            }
            Leftovers.sleep(20);
        }
    }

    /** Waits until the runtime's stdout (a file) holds {@code text}; returns it. */
    private static String awaitOutput(Path stdout, String text) throws Exception {
        return awaitOutput(stdout, text, 20);
    }

    private static String awaitOutput(Path stdout, String text, long pollMillis) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            if (out.contains(text)) {
                return out;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the container did not print \"" + text.strip() + "\" within 30s; its output so far:\n" + out);
            }
            Leftovers.sleep(pollMillis);
        }
    }

    /**
     * Waits until the runtime catches SIGUSR1 and SIGUSR2 (SigCgt of /proc/PID/status): runc does
     * from its start; javarun installs its relay for all the signals it forwards only once start has
     * returned, so a signal that comes after the container printed "ready" but before that would act
     * on javarun itself (a race reported separately); a plain JVM does not catch either of them.
     */
    private static void awaitRelay(long pid) {
        long wanted = (1L << (10 - 1)) | (1L << (12 - 1));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String status = Procs.read(Path.of("/proc", Long.toString(pid), "status")).orElse("");
            int at = status.indexOf("SigCgt:");
            long caught = at < 0 ? 0 : Long.parseUnsignedLong(status.substring(at + 7).strip().split("\\s+")[0], 16);
            if ((caught & wanted) == wanted) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the runtime (pid " + pid + ") does not catch SIGUSR1 and SIGUSR2 after 30s: " + status);
            }
            Leftovers.sleep(10);
        }
    }

    private static void signal(long pid, String name) {
        Procs.run(Path.of("/"), "kill", "-s", name, Long.toString(pid));
    }

    /**
     * Sends each signal in turn to the runtime, waiting each time until the container says it got
     * it, then SIGTERM: the runtime exits with the container's code, 7, having printed exactly what
     * the container printed, and the container is gone (run without --keep deletes it).
     */
    private void forwards(Kind kind, List<String> signals) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().sh(trapScript(signals));
        String id = h.newId("signals");
        Runtime.Call run = runInForeground(h, b, id);
        long pid = cliPid(h, id);
        Path stdout = Path.of(Procs.readLink(Path.of("/proc", Long.toString(pid), "fd", "1")).orElseThrow());
        awaitOutput(stdout, "ready\n");
        awaitRelay(pid);
        StringBuilder expected = new StringBuilder("ready\n");
        for (String s : signals) {
            signal(pid, s);
            awaitOutput(stdout, "got " + s + "\n");
            expected.append("got ").append(s).append('\n');
        }
        signal(pid, "TERM");
        Result r = run.await(Runtime.DEFAULT_TIMEOUT);
        expected.append("got TERM\n");
        assertEquals(7, r.exitCode(), "the runtime exits with the container's exit code: " + r);
        assertEquals(expected.toString(), r.stdout(), r.toString());
        assertNull(Tables.row(h.exec("list").ok().stdout(), id), "run without --keep deletes the container");
        h.exec("state", id).failed();
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void foregroundRunForwardsTerm(Kind kind) throws Exception {
        forwards(kind, List.of());
    }

    @BothRuntimes
    void foregroundRunForwardsHupIntUsr1Usr2(Kind kind) throws Exception {
        forwards(kind, List.of("USR1", "HUP", "INT", "USR2"));
    }

    /** ^\ in a terminal: runc forwards SIGQUIT like the others. */
    @BothRuntimes
    void foregroundRunForwardsQuit(Kind kind) throws Exception {
        forwards(kind, List.of("QUIT"));
    }

    /** The runtime's exit code is the container's also when a forwarded signal kills it: 128 + 15 (no pid namespace, no trap). */
    @BothRuntimes
    void foregroundRunKilledByAForwardedSignal(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().sh("echo ready; while true; do sleep 0.1; done");
        b.removeNamespace("pid");
        String id = h.newId("sigterm");
        Runtime.Call run = runInForeground(h, b, id);
        long pid = cliPid(h, id);
        Path stdout = Path.of(Procs.readLink(Path.of("/proc", Long.toString(pid), "fd", "1")).orElseThrow());
        awaitOutput(stdout, "ready\n");
        awaitRelay(pid);
        signal(pid, "TERM");
        Result r = run.await(Runtime.DEFAULT_TIMEOUT);
        assertEquals(143, r.exitCode(), r.toString());
        assertEquals("ready\n", r.stdout(), r.toString());
        assertTrue(h.exec("list", "-q").ok().stdout().isEmpty(), "the container is deleted");
        h.assertNothingLeft(id, b);
    }

    /**
     * A supervisor may signal as soon as the container runs: once it has printed "ready" the runtime
     * must already forward (runc handles signals from before it starts the container). Ten times,
     * SIGTERM right after "ready": each time the container gets it and the runtime exits 7.
     */
    @BothRuntimes
    void foregroundRunForwardsASignalSentRightAfterStart(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().sh(trapScript(List.of()));
        for (int i = 0; i < 10; i++) {
            String id = h.newId("early" + i);
            Runtime.Call run = runInForeground(h, b, id);
            long pid = cliPid(h, id);
            Path stdout = Path.of(Procs.readLink(Path.of("/proc", Long.toString(pid), "fd", "1")).orElseThrow());
            awaitOutput(stdout, "ready\n", 1);
            // SIGTERM at once: ProcessHandle.destroy() sends it without starting kill(1).
            ProcessHandle.of(pid).orElseThrow().destroy();
            Result r = run.await(Runtime.DEFAULT_TIMEOUT);
            assertEquals(7, r.exitCode(), "attempt " + (i + 1) + ": " + r);
            assertEquals("ready\ngot TERM\n", r.stdout(), r.toString());
            h.assertNothingLeft(id, b);
        }
    }
}
