package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * exec into a running container: the new process is in the container's namespaces and cgroups,
 * with the container's process settings or the ones the flags give, as runc does it.
 */
class ExecTest extends ItBase {

    @BothRuntimes
    void execSharesTheContainersNamespacesAndCgroups(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().hostname("exectest");
        String id = h.running(b, "execns");
        int init = h.state(id).get("pid").asInt();
        // The container's init is pid 1 in its pid namespace: exec sees it there, with the
        // container's hostname.
        Result r = h.exec("exec", id, "sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '; echo; hostname").ok();
        assertEquals("sleep 1000 \nexectest\n", r.stdout());
        // Same namespaces as the init (seen from the host) and the same cgroups.
        Result self = h.exec("exec", id, "sh", "-c", "for n in mnt net pid ipc uts; do readlink /proc/self/ns/$n; done").ok();
        StringBuilder initNs = new StringBuilder();
        for (String n : new String[] {"mnt", "net", "pid", "ipc", "uts"}) {
            initNs.append(Files.readSymbolicLink(Path.of("/proc", Integer.toString(init), "ns", n))).append('\n');
        }
        assertEquals(initNs.toString(), self.stdout());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void exitCodeAndOutput(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.running(b, "execrc");
        assertEquals(0, h.exec("exec", id, "true").exitCode());
        Result r = h.exec("exec", id, "sh", "-c", "echo out; echo err >&2; exit 42");
        assertEquals(42, r.exitCode(), r.toString());
        assertEquals("out\n", r.stdout());
        assertTrue(r.stderr().contains("err"), r.toString());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /** Flags after the command are the command's own: `exec ID echo --help` prints --help. */
    @BothRuntimes
    void argumentsAfterTheCommandArePassedThrough(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.running(b, "execargs");
        assertEquals("--help -d x\n", h.exec("exec", id, "echo", "--help", "-d", "x").ok().stdout());
        h.delete("-f", id).ok();
    }

    @BothRuntimes
    void userGroupsEnvAndCwd(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().env("FROM_CONFIG=yes");
        String id = h.running(b, "execuser");
        Result r = h.exec("exec", "-u", "1000:1000", "--additional-gids", "2000", "-e", "EXTRA=1", "--cwd", "/tmp",
                id, "sh", "-c", "id; echo $FROM_CONFIG $EXTRA; pwd").ok();
        assertEquals("uid=1000(user1) gid=1000(user1) groups=2000(grp2)\nyes 1\n/tmp\n", r.stdout());
        h.delete("-f", id).ok();
    }

    @BothRuntimes
    void capabilitiesAndNoNewPrivs(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        b.process().put("noNewPrivileges", false);
        String id = h.running(b, "execcaps");
        String caps = h.exec("exec", id, "sh", "-c", "grep -E 'CapEff|NoNewPrivs' /proc/self/status").ok().stdout();
        assertTrue(caps.contains("CapEff:\t0000000020000420") && caps.contains("NoNewPrivs:\t0"), caps);
        String more = h.exec("exec", "--cap", "CAP_SYS_ADMIN", "--no-new-privs", id,
                "sh", "-c", "grep -E 'CapEff|NoNewPrivs' /proc/self/status").ok().stdout();
        // CAP_SYS_ADMIN is bit 21: 0x200000 added to the default set.
        assertTrue(more.contains("CapEff:\t0000000020200420") && more.contains("NoNewPrivs:\t1"), more);
        h.delete("-f", id).ok();
    }

    @BothRuntimes
    void detachedWithPidFile(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.running(b, "execdetach");
        Path pidFile = h.hostDir("pid").resolve("exec.pid");
        h.exec("exec", "-d", "--pid-file", pidFile.toString(), id, "sleep", "1000").ok();
        int pid = Integer.parseInt(Files.readString(pidFile).trim());
        h.recordPid(pid);
        assertTrue(Procs.alive(pid), "the detached process runs");
        String cmdline = Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline")).replace('\0', ' ');
        assertEquals("sleep 1000 ", cmdline);
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
        assertTrue(!Procs.alive(pid), "delete -f kills the exec'd process too");
    }

    @BothRuntimes
    void processJson(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.running(b, "execjson");
        Path process = h.hostDir("proc").resolve("process.json");
        Files.writeString(process, "{\"args\": [\"sh\", \"-c\", \"echo from json; id -u\"], \"cwd\": \"/\","
                + " \"env\": [\"PATH=/bin\"], \"user\": {\"uid\": 65534, \"gid\": 65534}}");
        assertEquals("from json\n65534\n", h.exec("exec", "-p", process.toString(), id).ok().stdout());
        h.delete("-f", id).ok();
    }

    @BothRuntimes
    void execIntoAStoppedOrMissingContainerFails(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.newId("execstopped");
        b.args("true");
        h.run(b, id, "--keep").ok();
        Result r = h.exec("exec", id, "true").failed();
        assertTrue(r.stderr().contains("stopped"), r.toString());
        h.delete(id).ok();
        Result missing = h.exec("exec", id, "true").failed();
        assertTrue(missing.stderr().contains("does not exist") || missing.stderr().contains("not exist"),
                missing.toString());
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void executableNotFound(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.running(b, "execnf");
        Result r = h.exec("exec", id, "no-such-binary").failed();
        assertTrue(r.stderr().contains("no-such-binary") && r.stderr().contains("not found"), r.toString());
        // The container is untouched.
        assertEquals("running", h.state(id).get("status").asText());
        h.delete("-f", id).ok();
    }

    /** A paused container: exec is refused (the process would freeze), and works again after resume. */
    @BothRuntimes
    void execIntoAPausedContainerIsRefused(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.running(b, "execpaused");
        h.exec("pause", id).ok();
        Result r = h.exec("exec", id, "true").failed();
        assertTrue(r.stderr().contains("paused"), r.toString());
        h.exec("resume", id).ok();
        assertEquals("ok\n", h.exec("exec", id, "echo", "ok").ok().stdout());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /** exec --cgroup CONTROLLER:SUB puts the process into an existing sub-cgroup of the container's. */
    @BothRuntimes
    void execIntoASubCgroup(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.running(b, "execcg");
        int init = h.state(id).get("pid").asInt();
        String memoryLine = Procs.read(Path.of("/proc/" + init + "/cgroup")).orElseThrow().lines()
                .filter(l -> l.split(":")[1].equals("memory")).findFirst().orElseThrow();
        Path sub = Path.of("/sys/fs/cgroup/memory" + memoryLine.split(":", 3)[2], "sub");
        Files.createDirectory(sub);
        try {
            Result r = h.exec("exec", "--cgroup", "memory:sub", id, "cat", "/proc/self/cgroup").ok();
            assertTrue(r.stdout().lines().anyMatch(l -> l.matches("\\d+:memory:/.*/sub")),
                    "the memory cgroup is the sub-cgroup: " + r);
            assertTrue(r.stdout().lines().anyMatch(l -> l.matches("\\d+:pids:.*") && !l.endsWith("/sub")),
                    "the other controllers stay in the container's cgroup: " + r);
            Result missing = h.exec("exec", "--cgroup", "memory:nonexistent", id, "true");
            assertTrue(missing.exitCode() != 0, "a missing sub-cgroup is an error: " + missing);
        } finally {
            for (int i = 0; i < 50 && Files.exists(sub); i++) {
                try {
                    Files.delete(sub);
                } catch (java.io.IOException e) {
                    Thread.sleep(20); // the exec's process is still leaving it
                }
            }
        }
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }
}
