package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * linux.seccomp: the filter a container (and every process exec'd into it) runs under, observed
 * from inside, the same on runc and javarun; a seccomp agent receiving the listener fd; and each
 * bad profile refused with nothing left behind.
 */
class SeccompTest extends ItBase {
    private static final int SIGSYS_EXIT = 128 + 31;

    // ---- profiles

    private static ObjectNode profile(String defaultAction) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("defaultAction", defaultAction);
        s.putArray("syscalls");
        return s;
    }

    /** Adds a syscalls[] entry and returns it (for errnoRet, args). */
    private static ObjectNode rule(ObjectNode profile, String action, String... names) {
        ObjectNode r = ((ArrayNode) profile.get("syscalls")).addObject();
        r.set("names", Json.array(names));
        r.put("action", action);
        return r;
    }

    private static ObjectNode arg(ObjectNode rule, int index, long value, String op) {
        ObjectNode a = rule.withArrayProperty("args").addObject();
        a.put("index", index);
        a.put("value", value);
        a.put("op", op);
        return a;
    }

    /** Every syscall of x86_64 (the kernel headers' list) but {@code except}, as an allow rule. */
    private static String[] allSyscallsBut(String... except) {
        return syscallsUpTo(Integer.MAX_VALUE, except);
    }

    /** The x86_64 syscalls numbered up to {@code max}, but {@code except}. */
    private static String[] syscallsUpTo(int max, String... except) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"))) {
                if (line.startsWith("#define __NR_")) {
                    String[] nameAndNumber = line.substring("#define __NR_".length()).split("\\s+");
                    if (Integer.parseInt(nameAndNumber[1]) <= max && !List.of(except).contains(nameAndNumber[0])) {
                        out.add(nameAndNumber[0]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(out.size() > 250, "syscall list from the kernel headers: " + out.size());
        return out.toArray(String[]::new);
    }

    /**
     * Docker's default profile in shape: ERRNO by default, architectures x86_64/x86/x32, several
     * hundred names allowed, personality only with the values Docker allows, clone3 with ENOSYS.
     */
    static ObjectNode dockerShapedProfile() {
        ObjectNode s = profile("SCMP_ACT_ERRNO");
        s.put("defaultErrnoRet", 1);
        s.set("architectures", Json.array("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"));
        rule(s, "SCMP_ACT_ALLOW", allSyscallsBut("personality", "clone3", "kexec_load", "reboot", "mount"));
        for (long persona : new long[] {0x0, 0x8, 0x20000, 0x20008, 0xffffffffL}) {
            arg(rule(s, "SCMP_ACT_ALLOW", "personality"), 0, persona, "SCMP_CMP_EQ");
        }
        rule(s, "SCMP_ACT_ERRNO", "clone3").put("errnoRet", 38);
        return s;
    }

    private static Bundle withSeccomp(Bundle b, ObjectNode profile) {
        b.linux().set("seccomp", profile);
        return b;
    }

    /** Runs {@code b} in the foreground, which must succeed with {@code stdout}; nothing may be left. */
    private static Result runExpecting(Harness h, Bundle b, String hint, String stdout) {
        String id = h.newId(hint);
        Result r = h.run(b, id).ok();
        assertEquals(stdout, r.stdout(), r.toString());
        h.assertNothingLeft(id, b);
        return r;
    }

    // ---- what the container sees

    @BothRuntimes
    void aDeniedSyscallFailsWithTheConfiguredErrno(Kind kind) {
        Harness h = harness(kind);
        ObjectNode s = profile("SCMP_ACT_ALLOW");
        rule(s, "SCMP_ACT_ERRNO", "mkdir", "mkdirat").put("errnoRet", 13);
        rule(s, "SCMP_ACT_ERRNO", "chmod", "fchmodat", "fchmod");
        // The rootfs is read-only (runc's template): the filter answers before the file system does.
        Bundle b = withSeccomp(h.newBundle(), s).sh("mkdir /tmp/d 2>&1; echo mkdir=$?;"
                + " chmod 600 /etc/passwd 2>&1; echo chmod=$?; grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status");
        runExpecting(h, b, "errno", "mkdir: can't create directory '/tmp/d': Permission denied\nmkdir=1\n"
                + "chmod: /etc/passwd: Operation not permitted\nchmod=1\nNoNewPrivs:\t1\nSeccomp:\t2\n");
    }

    @BothRuntimes
    void defaultErrnoWithAnAllowList(Kind kind) {
        Harness h = harness(kind);
        ObjectNode s = profile("SCMP_ACT_ERRNO");
        s.put("defaultErrnoRet", 95); // EOPNOTSUPP
        rule(s, "SCMP_ACT_ALLOW", allSyscallsBut("mkdir", "mkdirat"));
        Bundle b = withSeccomp(h.newBundle(), s).sh("mkdir /tmp/d 2>&1; echo mkdir=$?; echo ok");
        runExpecting(h, b, "allowlist", "mkdir: can't create directory '/tmp/d': Operation not supported\nmkdir=1\nok\n");
    }

    /**
     * Without no_new_privs the filter must be loaded while the process still has CAP_SYS_ADMIN,
     * so the switch to the container's user and its capabilities happen under it: they must be
     * allowed, and they are.
     */
    @BothRuntimes
    void withoutNoNewPrivsTheUserSwitchRunsUnderTheFilter(Kind kind) {
        Harness h = harness(kind);
        ObjectNode s = profile("SCMP_ACT_ERRNO");
        rule(s, "SCMP_ACT_ALLOW", allSyscallsBut("mkdir", "mkdirat"));
        Bundle b = withSeccomp(h.newBundle(), s).user(1000, 1000);
        b.process().put("noNewPrivileges", false);
        b.sh("id -u; mkdir /tmp/d 2>&1; echo mkdir=$?; grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status");
        runExpecting(h, b, "nonnp", "1000\nmkdir: can't create directory '/tmp/d': Operation not permitted\nmkdir=1\n"
                + "NoNewPrivs:\t0\nSeccomp:\t2\n");
    }

    @BothRuntimes
    void killActionsKillWithSigsys(Kind kind) {
        Harness h = harness(kind);
        ObjectNode s = profile("SCMP_ACT_ALLOW");
        rule(s, "SCMP_ACT_KILL", "sync");
        Bundle b = withSeccomp(h.newBundle(), s).sh("sync; echo sync=$?; echo alive");
        // SCMP_ACT_KILL kills the thread: here the shell's child, whose status the shell shows.
        runExpecting(h, b, "kill", "sync=" + SIGSYS_EXIT + "\nalive\n");
        // The container's own process: run reports the signal as 128+31.
        ObjectNode t = profile("SCMP_ACT_ALLOW");
        rule(t, "SCMP_ACT_KILL_PROCESS", "sync");
        Bundle c = withSeccomp(h.newBundle(), t).args("sync");
        String id = h.newId("killproc");
        assertEquals(SIGSYS_EXIT, h.run(c, id).exitCode());
        h.assertNothingLeft(id, c);
    }

    @BothRuntimes
    void trapLogAndTraceActions(Kind kind) {
        Harness h = harness(kind);
        ObjectNode s = profile("SCMP_ACT_ALLOW");
        rule(s, "SCMP_ACT_TRAP", "sync");
        rule(s, "SCMP_ACT_LOG", "mkdir", "mkdirat");
        rule(s, "SCMP_ACT_TRACE", "chmod", "fchmodat", "fchmod");
        Bundle b = withSeccomp(h.newBundle(), s).mount("/tmp", "tmpfs", "tmpfs")
                .sh("sync; echo sync=$?; mkdir /tmp/d && echo mkdir=ok; chmod 600 /tmp/d 2>&1; echo chmod=$?");
        // TRAP: SIGSYS, which kills; LOG: allowed (and logged); TRACE with no tracer: ENOSYS.
        runExpecting(h, b, "trap", "sync=" + SIGSYS_EXIT + "\nmkdir=ok\nchmod: /tmp/d: Function not implemented\n"
                + "chmod=1\n");
    }

    /**
     * Conditions on arguments, and runc's reading of two comparisons of one argument: separate
     * rules, either matches (personality 8 is linux32's PER_LINUX32, 0 is linux64's PER_LINUX).
     */
    @BothRuntimes
    void argumentConditions(Kind kind) {
        Harness h = harness(kind);
        ObjectNode s = profile("SCMP_ACT_ALLOW");
        ObjectNode personality = rule(s, "SCMP_ACT_ERRNO", "personality");
        arg(personality, 0, 0x8, "SCMP_CMP_EQ");
        arg(personality, 0, 0x20008, "SCMP_CMP_EQ");
        ObjectNode kill = rule(s, "SCMP_ACT_ERRNO", "kill");
        kill.put("errnoRet", 13);
        arg(kill, 1, 0, "SCMP_CMP_EQ"); // only signal 0
        arg(kill, 0, 0, "SCMP_CMP_GT"); // only positive pids
        Bundle b = withSeccomp(h.newBundle(), s).sh("linux32 true; echo linux32=$?; linux64 true; echo linux64=$?;"
                + " kill -0 $$ 2>/dev/null; echo kill0=$?; kill -CONT $$; echo cont=$?");
        Result r = runExpecting(h, b, "args", "linux32=1\nlinux64=0\nkill0=1\ncont=0\n");
        assertTrue(r.stderr().contains("Operation not permitted"), r.toString());
    }

    @BothRuntimes
    void unknownSyscallNamesAreSkipped(Kind kind) {
        Harness h = harness(kind);
        ObjectNode s = profile("SCMP_ACT_ALLOW");
        rule(s, "SCMP_ACT_ERRNO", "mkdir", "no_such_syscall_jr", "mkdirat");
        Bundle b = withSeccomp(h.newBundle(), s).sh("mkdir /tmp/d 2>/dev/null; echo mkdir=$?");
        // The rule still holds for the names that exist.
        Result r = runExpecting(h, b, "unknown", "mkdir=1\n");
        if (h.rt().isJavarun()) {
            // runc logs it at debug level only; javarun warns.
            assertTrue(r.stderr().contains("warning") && r.stderr().contains("no_such_syscall_jr"), r.toString());
        }
    }

    /**
     * runc's ENOSYS stub: under a refusing default, a syscall numbered above every syscall the
     * profile names gets ENOSYS (libc then falls back as on an older kernel), below it the
     * default. Here the profile knows syscalls up to 301 (fanotify_mark): setns (308) is "new".
     */
    @BothRuntimes
    void syscallsNewerThanTheProfileGetEnosys(Kind kind) {
        Harness h = harness(kind);
        ObjectNode s = profile("SCMP_ACT_ERRNO");
        s.set("architectures", Json.array("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"));
        rule(s, "SCMP_ACT_ALLOW", syscallsUpTo(301, "mkdir", "mkdirat"));
        Bundle b = withSeccomp(h.newBundle(), s).sh("nsenter -t 1 -u true 2>&1; echo setns=$?;"
                + " mkdir /tmp/d 2>&1; echo mkdir=$?");
        runExpecting(h, b, "enosys", "nsenter: setns(): can't reassociate to namespace 'uts': Function not implemented\n"
                + "setns=1\nmkdir: can't create directory '/tmp/d': Operation not permitted\nmkdir=1\n");
    }

    @BothRuntimes
    void execProcessesGetTheContainersFilter(Kind kind) {
        Harness h = harness(kind);
        ObjectNode s = profile("SCMP_ACT_ALLOW");
        rule(s, "SCMP_ACT_ERRNO", "mkdir", "mkdirat").put("errnoRet", 13);
        Bundle b = withSeccomp(h.newBundle(), s).args("sleep", "1000");
        b.process().put("noNewPrivileges", false);
        String id = h.newId("exec");
        h.run(b, id, "-d").ok();
        h.state(id);
        Result r = h.exec("exec", id, "sh", "-c", "mkdir /tmp/d 2>&1; echo mkdir=$?; grep -E '^Seccomp:' /proc/self/status");
        assertEquals("mkdir: can't create directory '/tmp/d': Permission denied\nmkdir=1\nSeccomp:\t2\n", r.ok().stdout());
        Result nnp = h.exec("exec", "--no-new-privs", id, "sh", "-c", "mkdir /tmp/d 2>/dev/null; echo mkdir=$?;"
                + " grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status");
        assertEquals("mkdir=1\nNoNewPrivs:\t1\nSeccomp:\t2\n", nnp.ok().stdout());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void aDockerSizedProfile(Kind kind) {
        Harness h = harness(kind);
        Bundle b = withSeccomp(h.newBundle(), dockerShapedProfile())
                .sh("linux32 true && echo linux32=ok; mount -t tmpfs t /mnt 2>&1; echo mount=$?");
        runExpecting(h, b, "docker", "linux32=ok\nmount: permission denied (are you root?)\nmount=1\n");
    }

    // ---- the seccomp agent

    /**
     * A seccomp agent: takes each ContainerProcessState message with its listener fd, logs it as a
     * JSON line (the message and what the fds are), and answers every notification with EROFS.
     */
    private static final String AGENT = """
            import array, errno, fcntl, json, os, select, socket, struct, sys
            RECV, SEND = 0xc0502100, 0xc0182101  # SECCOMP_IOCTL_NOTIF_RECV / _SEND
            path, log = sys.argv[1], sys.argv[2]
            def record(obj):
                with open(log, "a") as f:
                    f.write(json.dumps(obj) + "\\n")
            srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            srv.bind(path)
            srv.listen(8)
            poll = select.poll()
            poll.register(srv, select.POLLIN)
            while True:
                for fd, ev in poll.poll():
                    if fd == srv.fileno():
                        c, _ = srv.accept()
                        msg, anc, _, _ = c.recvmsg(1 << 16, socket.CMSG_SPACE(4 * 8))
                        fds = array.array("i")
                        for level, kind, data in anc:
                            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                                fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
                        c.close()
                        record({"message": json.loads(msg), "fds": [os.readlink("/proc/self/fd/%d" % n) for n in fds]})
                        for n in fds:
                            poll.register(n, select.POLLIN)
                    elif ev & select.POLLIN:
                        req = bytearray(80)
                        try:
                            fcntl.ioctl(fd, RECV, req)
                        except OSError:
                            continue
                        nid, pid, _, nr = struct.unpack_from("=QIIi", req)
                        try:
                            fcntl.ioctl(fd, SEND, bytearray(struct.pack("=QqiI", nid, 0, -errno.EROFS, 0)))
                        except OSError:
                            pass
                        record({"syscall": nr, "pid": pid})
                    else:
                        poll.unregister(fd)
                        os.close(fd)
            """;

    private static final class Agent implements AutoCloseable {
        final Path socket;
        final Path log;
        private final Process process;

        private final Path dir;

        Agent() throws IOException {
            // Not under the harness's directory: a socket path must fit in 108 bytes.
            dir = Files.createTempDirectory(Path.of("/tmp"), "jr-agent-");
            Path script = dir.resolve("agent.py");
            Files.writeString(script, AGENT);
            socket = dir.resolve("agent.sock");
            log = dir.resolve("agent.log");
            process = new ProcessBuilder("python3", script.toString(), socket.toString(), log.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("agent.out").toFile()).start();
            Harness.awaitFile(socket);
        }

        /** The log's lines as JSON, once it has at least {@code n} of them that match. */
        List<JsonNode> awaitEntries(String field, int n) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                List<JsonNode> out = new ArrayList<>();
                try {
                    if (Files.exists(log)) {
                        for (String line : Files.readAllLines(log)) {
                            JsonNode e = Json.parse(line);
                            if (e.has(field)) {
                                out.add(e);
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (out.size() >= n) {
                    return out;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the agent logged " + out.size() + " \"" + field + "\" entries, not " + n);
                }
                Leftovers.sleep(50);
            }
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Procs.run(Path.of("/"), "rm", "-rf", "--one-file-system", dir.toString());
        }
    }

    @BothRuntimes
    void notifyHandsTheListenerFdToTheAgent(Kind kind) throws Exception {
        Harness h = harness(kind);
        try (Agent agent = new Agent()) {
            ObjectNode s = profile("SCMP_ACT_ALLOW");
            s.put("listenerPath", agent.socket.toString());
            s.put("listenerMetadata", "meta-" + kind);
            rule(s, "SCMP_ACT_NOTIFY", "mkdir", "mkdirat");
            Bundle b = withSeccomp(h.newBundle(), s).sh("mkdir /tmp/n 2>&1; echo mkdir=$?; exec sleep 1000");
            String id = h.newId("notify");
            Result created = h.create(b, id).ok();
            int pid = h.state(id).get("pid").asInt();
            JsonNode first = agent.awaitEntries("message", 1).get(0);
            assertEquals(List.of("anon_inode:seccomp notify"), Json.strings(first.get("fds")));
            JsonNode m = first.get("message");
            assertEquals(List.of("seccompFd"), Json.strings(m.get("fds")));
            assertEquals(pid, m.get("pid").asInt());
            assertEquals("meta-" + kind, m.get("metadata").asText());
            JsonNode state = m.get("state");
            assertEquals(id, state.get("id").asText());
            assertEquals("creating", state.get("status").asText());
            assertEquals(pid, state.get("pid").asInt());
            assertEquals(b.dir().toString(), state.get("bundle").asText());
            h.start(id).ok();
            awaitOutput(created, "mkdir=");
            assertEquals("mkdir: can't create directory '/tmp/n': Read-only file system\nmkdir=1\n", created.stdoutNow(),
                    "the agent answered the container's mkdir");
            // An exec gets a listener of its own, reported with its pid and the container running.
            Result r = h.exec("exec", id, "sh", "-c", "mkdir /tmp/e 2>&1; echo e=$?").ok();
            assertEquals("mkdir: can't create directory '/tmp/e': Read-only file system\ne=1\n", r.stdout());
            JsonNode second = agent.awaitEntries("message", 2).get(1).get("message");
            assertNotEquals(pid, second.get("pid").asInt());
            assertEquals("running", second.get("state").get("status").asText());
            assertEquals(pid, second.get("state").get("pid").asInt());
            assertEquals(2, agent.awaitEntries("syscall", 2).size());
            h.delete("-f", id).ok();
            h.assertNothingLeft(id, b);
        }
    }

    private static void awaitOutput(Result r, String marker) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!r.stdoutNow().contains(marker)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + marker + "\" in the container's output: " + r.stdoutNow());
            }
            Leftovers.sleep(50);
        }
    }

    @BothRuntimes
    void anAgentThatIsNotThereFailsTheCreate(Kind kind) {
        Harness h = harness(kind);
        ObjectNode s = profile("SCMP_ACT_ALLOW");
        s.put("listenerPath", "/tmp/jr-no-agent-" + Long.toHexString(System.nanoTime()) + ".sock");
        rule(s, "SCMP_ACT_NOTIFY", "mkdir");
        Bundle b = withSeccomp(h.newBundle(), s);
        String id = h.newId("noagent");
        Result r = h.create(b, id).failed();
        assertTrue(r.stderr().contains(".sock") && r.stderr().contains("no such file or directory"), r.toString());
        h.assertNothingLeft(id, b);
    }

    // ---- flags (runc 1.1.5 refuses every flag: javarun alone)

    /** The filter flags a process runs with, as the kernel reports them to a tracer (only LOG shows). */
    private static final String FILTER_FLAGS = """
            import ctypes, os, sys
            libc = ctypes.CDLL(None, use_errno=True)
            libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
            pid = int(sys.argv[1])
            md = (ctypes.c_uint64 * 2)(0, 0)  # struct seccomp_metadata: filter_off, flags
            if libc.ptrace(16, pid, None, None) != 0:  # PTRACE_ATTACH
                sys.exit("attach: " + os.strerror(ctypes.get_errno()))
            os.waitpid(pid, 0x40000000)  # __WALL
            if libc.ptrace(0x420d, pid, ctypes.c_void_p(16), ctypes.cast(md, ctypes.c_void_p)) < 0:
                sys.exit("PTRACE_SECCOMP_GET_METADATA: " + os.strerror(ctypes.get_errno()))
            libc.ptrace(17, pid, None, None)  # PTRACE_DETACH
            print(md[1])
            """;

    private static long filterFlags(Harness h, int pid) throws IOException {
        Path script = h.hostDir("flags").resolve("flags.py");
        Files.writeString(script, FILTER_FLAGS);
        Procs.Out out = Procs.runUnchecked(Path.of("/"), "python3", script.toString(), Integer.toString(pid));
        assertEquals(0, out.exitCode(), out.text());
        return Long.parseLong(out.text().strip());
    }

    /**
     * javarun keeps the programs libseccomp built in {@code <root>/@seccomp-cache}: a second
     * container with the same profile loads the stored program and behaves the same (the errno,
     * the warning for an unknown name), an exec too; a changed profile gets a program of its own.
     * The directory is private to its owner.
     */
    @Test
    void javarunCachesTheProgramOfAProfileAndUsesItOnlyForThatProfile() throws Exception {
        Harness h = harness(Kind.JAVARUN);
        ObjectNode s = profile("SCMP_ACT_ALLOW");
        ObjectNode denied = rule(s, "SCMP_ACT_ERRNO", "mkdir", "no_such_syscall_jr", "mkdirat");
        denied.put("errnoRet", 13);
        Bundle b = withSeccomp(h.newBundle(), s).sh("mkdir /tmp/d 2>&1; echo mkdir=$?");
        Path cache = h.rt().root().resolve("@seccomp-cache");
        for (String hint : List.of("built", "cached")) {
            Result r = runExpecting(h, b, hint, "mkdir: can't create directory '/tmp/d': Permission denied\nmkdir=1\n");
            assertTrue(r.stderr().contains("warning") && r.stderr().contains("no_such_syscall_jr"), hint + ": " + r);
            assertEquals(1, entries(cache).size(), hint);
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cache)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(entries(cache).get(0))));

        Bundle svc = withSeccomp(h.newBundle(), s).args("sleep", "1000");
        String id = h.newId("svc");
        h.run(svc, id, "-d").ok();
        Result exec = h.exec("exec", id, "sh", "-c", "mkdir /tmp/d 2>&1; echo mkdir=$?");
        assertEquals("mkdir: can't create directory '/tmp/d': Permission denied\nmkdir=1\n", exec.ok().stdout());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, svc);

        denied.put("errnoRet", 1);
        runExpecting(h, b, "changed", "mkdir: can't create directory '/tmp/d': Operation not permitted\nmkdir=1\n");
        assertEquals(2, entries(cache).size(), "another profile, another program");
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void javarunPassesTheFlagsToTheKernel() throws Exception {
        Harness h = harness(Kind.JAVARUN);
        ObjectNode s = profile("SCMP_ACT_ALLOW");
        rule(s, "SCMP_ACT_ERRNO", "mkdir");
        s.set("flags", Json.array("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_TSYNC"));
        Bundle b = withSeccomp(h.newBundle(), s).args("sleep", "1000");
        String id = h.newId("flaglog");
        h.run(b, id, "-d").ok();
        assertEquals(2, filterFlags(h, h.state(id).get("pid").asInt()), "SECCOMP_FILTER_FLAG_LOG");
        h.delete("-f", id).ok();
        s.set("flags", Json.array());
        String id2 = h.newId("flagnone");
        h.run(b, id2, "-d").ok();
        assertEquals(0, filterFlags(h, h.state(id2).get("pid").asInt()));
        h.delete("-f", id2).ok();
        h.assertNothingLeft(id2, b);
    }

    @Test
    void javarunTakesWaitKillableRecvWithAListener() throws Exception {
        Harness h = harness(Kind.JAVARUN);
        try (Agent agent = new Agent()) {
            ObjectNode s = profile("SCMP_ACT_ALLOW");
            s.put("listenerPath", agent.socket.toString());
            s.set("flags", Json.array("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
            rule(s, "SCMP_ACT_NOTIFY", "mkdir", "mkdirat");
            Bundle b = withSeccomp(h.newBundle(), s).sh("mkdir /tmp/n 2>&1; echo mkdir=$?");
            String id = h.newId("waitkill");
            Result r = h.run(b, id).ok();
            assertEquals("mkdir: can't create directory '/tmp/n': Read-only file system\nmkdir=1\n", r.stdout());
            assertFalse(r.stderr().contains("warning"), r.toString());
            h.assertNothingLeft(id, b);
        }
    }

    // ---- bad profiles: refused, nothing left

    /** A bad profile: what runc 1.1.5 says, and the field and words javarun's message has. */
    private record BadProfile(ObjectNode profile, String runcSays, String field, String javarunSays) {
    }

    private static List<BadProfile> badProfiles() {
        List<BadProfile> out = new ArrayList<>();
        out.add(new BadProfile(profile("SCMP_ACT_BOGUS"), "SCMP_ACT_BOGUS is not a valid action",
                "linux.seccomp.defaultAction", "unknown action \"SCMP_ACT_BOGUS\""));
        ObjectNode action = profile("SCMP_ACT_ALLOW");
        rule(action, "SCMP_ACT_MAYBE", "mkdir");
        out.add(new BadProfile(action, "SCMP_ACT_MAYBE is not a valid action", "linux.seccomp.syscalls[0].action",
                "unknown action \"SCMP_ACT_MAYBE\""));
        ObjectNode op = profile("SCMP_ACT_ALLOW");
        arg(rule(op, "SCMP_ACT_ERRNO", "kill"), 0, 1, "SCMP_CMP_ABOUT");
        out.add(new BadProfile(op, "SCMP_CMP_ABOUT is not a valid operator", "linux.seccomp.syscalls[0].args[0].op",
                "unknown operator \"SCMP_CMP_ABOUT\""));
        ObjectNode arch = profile("SCMP_ACT_ALLOW");
        arch.set("architectures", Json.array("SCMP_ARCH_X86_64", "SCMP_ARCH_Z80"));
        out.add(new BadProfile(arch, "SCMP_ARCH_Z80 is not a valid arch", "linux.seccomp.architectures[1]",
                "unknown architecture \"SCMP_ARCH_Z80\""));
        ObjectNode index = profile("SCMP_ACT_ALLOW");
        arg(rule(index, "SCMP_ACT_ERRNO", "kill"), 6, 1, "SCMP_CMP_EQ");
        out.add(new BadProfile(index, "syscalls only have up to 6 arguments", "linux.seccomp.syscalls[0].args[0].index",
                "must be 0 to 5"));
        ObjectNode noListener = profile("SCMP_ACT_ALLOW");
        rule(noListener, "SCMP_ACT_NOTIFY", "mkdir");
        out.add(new BadProfile(noListener, "listenerPath is not set", "linux.seccomp.listenerPath", "is required"));
        ObjectNode notifyDefault = profile("SCMP_ACT_NOTIFY");
        notifyDefault.put("listenerPath", "/run/agent.sock");
        out.add(new BadProfile(notifyDefault, "SCMP_ACT_NOTIFY cannot be used as default action",
                "linux.seccomp.defaultAction", "cannot be the default action"));
        ObjectNode notifyWrite = profile("SCMP_ACT_ALLOW");
        notifyWrite.put("listenerPath", "/run/agent.sock");
        rule(notifyWrite, "SCMP_ACT_NOTIFY", "mkdir", "write");
        out.add(new BadProfile(notifyWrite, "SCMP_ACT_NOTIFY cannot be used for the write syscall",
                "linux.seccomp.syscalls[0].names[1]", "cannot be used for write"));
        // runc 1.1.5 refuses every flag; runc 1.2 says the flag is unknown, as javarun does.
        ObjectNode flag = profile("SCMP_ACT_ALLOW");
        flag.set("flags", Json.array("SECCOMP_FILTER_FLAG_BOGUS"));
        out.add(new BadProfile(flag, "seccomp flags are not yet supported by runc", "linux.seccomp.flags[0]",
                "unknown flag \"SECCOMP_FILTER_FLAG_BOGUS\""));
        return out;
    }

    /**
     * Each bad profile fails create and leaves nothing; runc's message holds what runc says,
     * javarun's names the container, config.json and the field, and says why.
     */
    @BothRuntimes
    void badProfilesAreRefused(Kind kind) {
        Harness h = harness(kind);
        for (BadProfile bad : badProfiles()) {
            refused(h, bad);
        }
    }

    private static void refused(Harness h, BadProfile bad) {
        Bundle b = withSeccomp(h.newBundle(), bad.profile());
        String id = h.newId("bad");
        Result r = h.create(b, id).failed();
        h.assertNothingLeft(id, b);
        String says = h.rt().isJavarun() ? "create " + id + ": config.json: " + bad.field() + ": " : bad.runcSays();
        assertTrue(r.stderr().contains(says), "expected \"" + says + "\": " + r);
        if (h.rt().isJavarun()) {
            assertTrue(r.stderr().contains(bad.javarunSays()), "expected \"" + bad.javarunSays() + "\": " + r);
        }
    }

    @Test
    void javarunRefusesWaitKillableRecvWithoutAListenerAndARelativeListenerPath() {
        Harness h = harness(Kind.JAVARUN);
        ObjectNode s = profile("SCMP_ACT_ALLOW");
        s.set("flags", Json.array("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
        refused(h, new BadProfile(s, "", "linux.seccomp.flags[0]", "needs a syscall with SCMP_ACT_NOTIFY"));
        ObjectNode t = profile("SCMP_ACT_ALLOW");
        t.put("listenerPath", "agent.sock");
        rule(t, "SCMP_ACT_NOTIFY", "mkdir");
        refused(h, new BadProfile(t, "", "linux.seccomp.listenerPath", "must be an absolute path"));
    }
}
