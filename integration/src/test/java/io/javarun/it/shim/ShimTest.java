package io.javarun.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.it.Procs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * containerd-shim-javarun-v2 under a real containerd 1.6, through the real ctr, side by side
 * with containerd's own io.containerd.runc.v2 where both must behave the same.
 */
class ShimTest extends ContainerdTests {
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** Ids this test made: removed after it, whatever happened, so one failure does not spread. */
    private final List<String> made = new ArrayList<>();

    /**
     * After each test: its tasks and containers removed (a passing test has removed them itself,
     * checking that this works), then no task state of the shim, no rootfs mount left in a
     * bundle and no daemon of our namespace.
     */
    @AfterEach
    void nothingLeft() throws Exception {
        for (String id : made) {
            if (ctd.ctr("tasks", "ls", "-q").text().contains(id)) {
                ctd.ctr("tasks", "kill", "-s", "KILL", id);
                ctd.ctr("tasks", "rm", "-f", id);
            }
            ctd.ctr("containers", "rm", id);
        }
        List<String> left = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            left.clear();
            if (Files.isDirectory(ctd.shimState())) {
                try (var ds = Files.list(ctd.shimState())) {
                    // The seccomp programs javarun keeps for the namespace are no task's state.
                    ds.filter(p -> !p.getFileName().toString().equals(Containerd.SECCOMP_CACHE))
                            .forEach(p -> left.add("state: " + p));
                }
            }
            for (int pid : shimDaemons()) {
                left.add("shim daemon still running: pid " + pid);
            }
            for (String mount : Containerd.mountsUnder(ctd.dir().resolve("state/io.containerd.runtime.v2.task"))) {
                left.add("a task's rootfs still mounted: " + mount);
            }
            if (Files.exists(ctd.shimControlSocket())) {
                left.add("the shim daemon's control socket: " + ctd.shimControlSocket());
            }
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("left behind:\n  " + String.join("\n  ", left));
    }

    private String id(String hint) {
        String id = hint + "-" + SEQ.incrementAndGet();
        made.add(id);
        return id;
    }

    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void runRemovesAndReturnsOutputAndExitCode(String runtime) {
        Containerd.Out out = ctd.ctr("run", "--rm", "--runtime", runtime, Containerd.IMAGE, id("rm"),
                "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3");
        assertEquals(3, out.exitCode(), out.toString());
        assertTrue(out.text().contains("to-stdout") && out.text().contains("to-stderr"), out.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void detachedTaskExecPsAndKill(String runtime) throws Exception {
        String id = id("det");
        ctd.ctr("run", "-d", "--runtime", runtime, Containerd.IMAGE, id, "sleep", "300").ok();
        assertTrue(ctd.ctr("tasks", "ls").text().matches("(?s).*\\b" + id + "\\s+\\d+\\s+RUNNING.*"),
                ctd.ctr("tasks", "ls").toString());
        Containerd.Out exec = ctd.ctr("tasks", "exec", "--exec-id", "e1", id, "sh", "-c", "echo in-exec; exit 5");
        assertEquals(5, exec.exitCode(), exec.toString());
        assertTrue(exec.text().contains("in-exec"), exec.toString());
        ctd.ctr("tasks", "exec", "-d", "--exec-id", "e2", id, "sleep", "60").ok();
        Containerd.Out ps = ctd.ctr("tasks", "ps", id).ok();
        assertTrue(ps.text().contains("e2"), "the exec's pid is listed with its exec id:\n" + ps);
        assertEquals(3, ps.text().strip().split("\n").length, "header, init and the exec:\n" + ps);
        killAndRemove(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void killAllSignalsEveryProcess(String runtime) throws Exception {
        String id = id("all");
        // A shell that ignores TERM as pid 1 would; the exec's sleep does not.
        ctd.ctr("run", "-d", "--runtime", runtime, Containerd.IMAGE, id, "sh", "-c", "trap '' TERM; sleep 300 & wait")
                .ok();
        ctd.ctr("tasks", "exec", "-d", "--exec-id", "s", id, "sleep", "300").ok();
        ctd.ctr("tasks", "kill", "-a", "-s", "KILL", id).ok();
        awaitStatus(id, "STOPPED");
        ctd.ctr("tasks", "rm", id).ok();
        ctd.ctr("containers", "rm", id).ok();
    }

    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void pauseFreezesAndResumeThaws(String runtime) throws Exception {
        String id = id("pause");
        ctd.ctr("run", "-d", "--runtime", runtime, Containerd.IMAGE, id, "sh", "-c",
                "i=0; while true; do i=$((i+1)); echo $i > /tmp/count; sleep 0.05; done").ok();
        Path count = bundle(id).resolve("rootfs/tmp/count");
        awaitFile(count);
        ctd.ctr("tasks", "pause", id).ok();
        awaitStatus(id, "PAUSED");
        String before = Files.readString(count);
        Thread.sleep(400);
        assertEquals(before, Files.readString(count), "the counter stands still while paused");
        ctd.ctr("tasks", "resume", id).ok();
        awaitStatus(id, "RUNNING");
        Thread.sleep(400);
        assertTrue(!before.equals(Files.readString(count)), "the counter moves again after resume");
        killAndRemove(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void metricsReportMemoryCpuAndPids(String runtime) throws Exception {
        String id = id("metrics");
        ctd.ctr("run", "-d", "--runtime", runtime, Containerd.IMAGE, id, "sleep", "300").ok();
        Containerd.Out m = ctd.ctr("tasks", "metrics", id).ok();
        for (String key : new String[] {"memory.usage_in_bytes", "cpuacct.usage", "pids.current"}) {
            assertTrue(m.text().contains(key), key + " in:\n" + m);
        }
        assertTrue(m.text().matches("(?s).*pids\\.current\\s+1\\b.*"), "one process:\n" + m);
        killAndRemove(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void execWithTerminal(String runtime) throws Exception {
        String id = id("tty");
        ctd.ctr("run", "-d", "--runtime", runtime, Containerd.IMAGE, id, "sleep", "300").ok();
        Containerd.Out out = ctd.ctrOnTty("tasks", "exec", "-t", "--exec-id", "t", id, "sh", "-c", "tty; exit 4");
        assertTrue(out.text().contains("/dev/pts/"), "a pty inside the container:\n" + out);
        assertEquals(4, out.exitCode(), out.toString());
        killAndRemove(id);
    }

    /** Events come in order, also for processes that exit at once. */
    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void eventsArePublishedInOrder(String runtime) throws Exception {
        String id = id("events");
        Path log = ctd.dir().resolve("events-" + id + ".log");
        Process events = ctd.ctrInBackground(log, "events");
        try {
            Thread.sleep(300);
            ctd.ctr("run", "-d", "--runtime", runtime, Containerd.IMAGE, id, "sleep", "300").ok();
            ctd.ctr("tasks", "exec", "--exec-id", "quick", id, "true").ok();
            killAndRemove(id);
            Thread.sleep(500);
        } finally {
            events.destroy();
            events.waitFor();
        }
        List<String> topics = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.contains("/tasks/") && line.contains(id)) {
                String topic = "";
                for (String field : line.split("\\s+")) {
                    if (field.startsWith("/tasks/")) {
                        topic = field;
                    }
                }
                topics.add(line.contains("quick") ? topic + "(exec)" : topic);
            }
        }
        assertEquals(List.of("/tasks/create", "/tasks/start", "/tasks/exec-added(exec)", "/tasks/exec-started(exec)",
                "/tasks/exit(exec)", "/tasks/exit", "/tasks/delete"), topics, "events of " + id);
    }

    /** Two tasks of one group (a pod) share one shim daemon. */
    @Test
    void tasksOfOneGroupShareOneShim() throws Exception {
        String a = id("grp");
        String b = id("grp");
        for (String id : new String[] {a, b}) {
            ctd.ctr("run", "-d", "--runtime", Containerd.JAVARUN, "--annotation", "io.containerd.runc.v2.group=g-" + a,
                    Containerd.IMAGE, id, "sleep", "300").ok();
        }
        assertEquals(Files.readString(bundle(a).resolve("address")), Files.readString(bundle(b).resolve("address")));
        assertEquals(1, shimDaemons().size(), "one daemon: " + shimDaemons());
        for (String id : new String[] {a, b}) {
            killAndRemove(id);
        }
    }

    /**
     * Tasks of different groups get different sockets (containerd's contract) but one daemon:
     * the JVM is paid once per namespace. A group's socket goes with its last task; the daemon
     * with its last group.
     */
    @Test
    void groupsShareOneDaemonWithASocketEach() throws Exception {
        String a = id("ga");
        String b = id("gb");
        ctd.ctr("run", "-d", "--runtime", Containerd.JAVARUN, Containerd.IMAGE, a, "sleep", "300").ok();
        ctd.ctr("run", "-d", "--runtime", Containerd.JAVARUN, Containerd.IMAGE, b, "sleep", "300").ok();
        String addressA = Files.readString(bundle(a).resolve("address")).trim();
        String addressB = Files.readString(bundle(b).resolve("address")).trim();
        assertTrue(!addressA.equals(addressB), addressA);
        assertEquals(1, shimDaemons().size(), "one daemon: " + shimDaemons());
        killAndRemove(a);
        Path socketA = Path.of(addressA.substring("unix://".length()));
        for (int i = 0; i < 50 && Files.exists(socketA); i++) {
            Thread.sleep(100);
        }
        assertTrue(!Files.exists(socketA), "group a's socket is gone with its task");
        Containerd.Out exec = ctd.ctr("tasks", "exec", "--exec-id", "e", b, "echo", "b-alive");
        assertTrue(exec.text().contains("b-alive"), exec.toString());
        killAndRemove(b);
    }

    /**
     * A shim killed with SIGKILL: containerd notices, runs the shim's delete (which removes the
     * container and its processes), and the task is gone; nothing is left.
     */
    @Test
    void aCrashedShimIsCleanedUp() throws Exception {
        String id = id("crash");
        ctd.ctr("run", "-d", "--runtime", Containerd.JAVARUN, Containerd.IMAGE, id, "sleep", "300").ok();
        Path socket = Path.of(Files.readString(bundle(id).resolve("address")).trim().substring("unix://".length()));
        int init = Integer.parseInt(ctd.ctr("tasks", "ls").text().lines().filter(l -> l.startsWith(id + " "))
                .findFirst().orElseThrow().trim().split("\\s+")[1]);
        List<Integer> daemons = shimDaemons();
        assertEquals(1, daemons.size(), daemons.toString());
        Procs.run(Path.of("/"), "kill", "-9", Integer.toString(daemons.get(0)));
        for (int i = 0; i < 100 && Procs.alive(init); i++) {
            Thread.sleep(100);
        }
        assertTrue(!Procs.alive(init) || "Z".equals(Procs.state(init).orElse("")),
                "the container's init is gone after its shim crashed");
        for (int i = 0; i < 100 && ctd.ctr("tasks", "ls", "-q").text().contains(id); i++) {
            Thread.sleep(100);
        }
        ctd.ctr("tasks", "rm", "-f", id);
        ctd.ctr("containers", "rm", id).ok();
        assertTrue(!Files.exists(socket), "the dead shim's socket is removed: " + socket);
    }

    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void aRunningTaskCanBeForceDeleted(String runtime) throws Exception {
        String id = id("force");
        ctd.ctr("run", "-d", "--runtime", runtime, Containerd.IMAGE, id, "sleep", "300").ok();
        ctd.ctr("tasks", "rm", "-f", id).ok();
        assertTrue(!ctd.ctr("tasks", "ls", "-q").text().contains(id));
        ctd.ctr("containers", "rm", id).ok();
    }

    @Test
    void aBadCommandFailsClearlyAndLeavesNothing() {
        String id = id("bad");
        Containerd.Out out = ctd.ctr("run", "--rm", "--runtime", Containerd.JAVARUN, Containerd.IMAGE, id,
                "/no/such/program");
        assertTrue(out.exitCode() != 0, out.toString());
        assertTrue(out.text().contains("/no/such/program") && out.text().contains("no such file"), out.toString());
        ctd.ctr("containers", "rm", id);
    }

    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void termReachesTheInitsHandler(String runtime) throws Exception {
        String id = id("term");
        ctd.ctr("run", "-d", "--runtime", runtime, Containerd.IMAGE, id, "sh", "-c",
                "trap 'exit 7' TERM; while true; do sleep 0.1; done").ok();
        Thread.sleep(300); // the trap is set
        ctd.ctr("tasks", "kill", id).ok(); // SIGTERM, ctr's default
        awaitStatus(id, "STOPPED");
        Containerd.Out ls = ctd.ctr("tasks", "ls").ok();
        ctd.ctr("tasks", "rm", id).ok();
        ctd.ctr("containers", "rm", id).ok();
        assertTrue(ls.text().contains("STOPPED"), ls.toString());
    }

    /**
     * stdin reaches the container. (Its end is not tested through ctr: `ctr run` never sends
     * CloseIO, and runc's shim, like ours, keeps the FIFO open until then.)
     */
    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void stdinIsPassed(String runtime) throws Exception {
        Path input = ctd.dir().resolve("stdin-" + runtime);
        Files.writeString(input, "line one\nline two\nline three\n");
        Containerd.Out out = ctd.ctrWithInput(input, "run", "--rm", "--runtime", runtime, Containerd.IMAGE, id("stdin"),
                "sh", "-c", "head -n 2; echo done");
        assertEquals(0, out.exitCode(), out.toString());
        assertEquals("line one\nline two\ndone\n", out.text().replace("\r", ""), out.toString());
    }

    /** --log-uri file:// and binary:// (containerd's logging binaries: fd 3, fd 4, ready on fd 5). */
    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void logUris(String runtime) throws Exception {
        Path file = ctd.dir().resolve("log-" + runtime + ".txt");
        ctd.ctr("run", "--rm", "--runtime", runtime, "--log-uri", "file://" + file, Containerd.IMAGE, id("logf"),
                "sh", "-c", "echo to-out; echo to-err >&2").ok();
        // The shim's copy to the file may end a moment after ctr returns (seen with runc's shim:
        // stderr's line came after): waited for, up to 5 s.
        String logged = Files.readString(file);
        for (int i = 0; i < 50 && !(logged.contains("to-out") && logged.contains("to-err")); i++) {
            Thread.sleep(100);
            logged = Files.readString(file);
        }
        assertTrue(logged.contains("to-out") && logged.contains("to-err"), logged);

        Path logger = ctd.dir().resolve("logger.sh");
        Path captured = ctd.dir().resolve("binary-" + runtime + ".txt");
        // Both streams read at once (either may fill its pipe first), and a SIGTERM at the task's
        // delete (runc's shim sends one) must not cut the copy short.
        Files.writeString(logger, "#!/bin/sh\n# $1 $2: the uri's key and value\ntrap '' TERM\nexec 5>&-\n"
                + "echo \"id=$CONTAINER_ID ns=$CONTAINER_NAMESPACE arg=$1=$2\" > \"$2.part\"\n"
                + "cat <&4 > \"$2.err\" &\ncat <&3 >> \"$2.part\"\nwait\n"
                + "cat \"$2.err\" >> \"$2.part\"\nmv \"$2.part\" \"$2\"\n");
        logger.toFile().setExecutable(true);
        String id = id("logb");
        ctd.ctr("run", "--rm", "--runtime", runtime, "--log-uri", "binary://" + logger + "?out=" + captured,
                Containerd.IMAGE, id, "sh", "-c", "echo bin-out; echo bin-err >&2").ok();
        for (int i = 0; i < 100 && !Files.exists(captured); i++) {
            Thread.sleep(100);
        }
        String got = Files.readString(captured);
        assertTrue(got.startsWith("id=" + id + " ns=" + ctd.namespace() + " arg=out=" + captured), got);
        assertTrue(got.contains("bin-out") && got.contains("bin-err"), got);
    }

    /** containerd restarted: it finds the running task's shim again through its address file. */
    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void containerdRestartReconnects(String runtime) throws Exception {
        String id = id("restart");
        ctd.ctr("run", "-d", "--runtime", runtime, Containerd.IMAGE, id, "sleep", "300").ok();
        ctd.restart();
        awaitStatus(id, "RUNNING");
        Containerd.Out exec = ctd.ctr("tasks", "exec", "--exec-id", "after", id, "sh", "-c", "echo still-here");
        assertTrue(exec.text().contains("still-here"), exec.toString());
        killAndRemove(id);
    }

    /**
     * An image of 90 layers: the overlay mount's options are longer than the page mount(2)
     * accepts, which containerd's mount code works around; so must the shim's.
     */
    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void anImageOfManyLayersMounts(String runtime) throws Exception {
        String image = ctd.manyLayerImage(90);
        Containerd.Out out = ctd.ctr("run", "--rm", "--runtime", runtime, image, id("layers"), "sh", "-c",
                "ls /layers | wc -l; cat /layers/90");
        assertEquals(0, out.exitCode(), out.toString());
        assertEquals("89\n90\n", out.text().replaceAll("[ \\t]", ""), out.toString());
    }

    /** containerd's default seccomp profile (ctr run --seccomp): in force, and it denies what it should. */
    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void containerdsDefaultSeccompProfile(String runtime) {
        Containerd.Out out = ctd.ctr("run", "--rm", "--seccomp", "--runtime", runtime, Containerd.IMAGE, id("seccomp"),
                "sh", "-c", "grep '^Seccomp:' /proc/self/status; mount -t tmpfs none /mnt 2>&1; echo rc=$?");
        assertTrue(out.text().contains("Seccomp:\t2"), "a filter is loaded: " + out);
        assertTrue(out.text().contains("rc=1") || out.text().contains("rc=255"), "mount is denied: " + out);
    }

    // ------------------------------------------------------------------ helpers

    /** What a user does to end a task: SIGKILL, wait for STOPPED, remove task and container. */
    private static void killAndRemove(String id) throws InterruptedException {
        ctd.ctr("tasks", "kill", "-s", "KILL", id).ok();
        awaitStatus(id, "STOPPED");
        ctd.ctr("tasks", "rm", id).ok();
        ctd.ctr("containers", "rm", id).ok();
    }

    private static Path bundle(String id) {
        return ctd.dir().resolve("state/io.containerd.runtime.v2.task").resolve(ctd.namespace()).resolve(id);
    }

    private static void awaitStatus(String id, String status) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (ctd.ctr("tasks", "ls").text().matches("(?s).*\\b" + id + "\\s+\\d+\\s+" + status + ".*")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(id + " never reached " + status + ":\n" + ctd.ctr("tasks", "ls"));
    }

    private static void awaitFile(Path file) throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(file); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(file), file + " appears");
    }

    /** Pids of javarun shim daemons serving our namespace. */
    private static List<Integer> shimDaemons() throws IOException {
        List<Integer> out = new ArrayList<>();
        for (int pid : Procs.pids()) {
            String cmdline = Procs.read(Path.of("/proc/" + pid + "/cmdline")).orElse("").replace('\0', ' ');
            if (cmdline.contains("io.javarun.shim.Main") && cmdline.contains("-namespace " + ctd.namespace() + " ")
                    && cmdline.trim().endsWith(" daemon")) {
                out.add(pid);
            }
        }
        return out;
    }
}
