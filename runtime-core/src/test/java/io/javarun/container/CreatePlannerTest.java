package io.javarun.container;

import static io.javarun.testing.Fixtures.addNamespace;
import static io.javarun.testing.Fixtures.arr;
import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static io.javarun.testing.Fixtures.obj;
import static io.javarun.testing.Fixtures.removeNamespace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.cgroups.Hierarchy;
import io.javarun.process.Plan;
import io.javarun.spec.Spec;
import io.javarun.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreatePlannerTest {
    // CLONE_* values from linux/sched.h, MS_* from linux/mount.h.
    static final long CLONE_NEWNS = 0x00020000L;
    static final long CLONE_NEWCGROUP = 0x02000000L;
    static final long CLONE_NEWUTS = 0x04000000L;
    static final long CLONE_NEWIPC = 0x08000000L;
    static final long CLONE_NEWUSER = 0x10000000L;
    static final long CLONE_NEWPID = 0x20000000L;
    static final long CLONE_NEWNET = 0x40000000L;
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_PRIVATE = 1 << 18;
    static final long MS_SLAVE = 1 << 19;
    static final long MS_RELATIME = 1 << 21;
    static final long MS_STRICTATIME = 1 << 24;

    @TempDir
    Path bundle;

    Path rootfs;
    Path fifo;
    Map<String, Object> doc;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        fifo = bundle.resolve("exec.fifo");
        // `runc spec` as written on a cgroup v2 host (with a cgroup namespace), run detached.
        doc = Fixtures.runcSpec();
        addNamespace(doc, "cgroup");
        obj(doc, "process").put("terminal", false);
    }

    private Plan plan() throws Exception {
        return plan(false, Map.of());
    }

    private Plan plan(boolean noPivot, Map<Hierarchy, Path> cgroups) throws Exception {
        Spec spec = Fixtures.spec(doc);
        return CreatePlanner.plan(new CreatePlanner.Inputs("c1", spec, rootfs, fifo, null, noPivot, false, cgroups));
    }

    private static List<String> names(Plan p) {
        return p.ops().stream().map(Plan.Op::name).toList();
    }

    private static List<Plan.Op> ops(Plan p, String name) {
        return p.ops().stream().filter(o -> o.name().equals(name)).toList();
    }

    private static Plan.Op only(Plan p, String name) {
        List<Plan.Op> found = ops(p, name);
        assertEquals(1, found.size(), name + " ops: " + found);
        return found.get(0);
    }

    private static int first(Plan p, String name) {
        int i = names(p).indexOf(name);
        assertTrue(i >= 0, "no " + name + " op in " + names(p));
        return i;
    }

    private static int last(Plan p, String name) {
        int i = names(p).lastIndexOf(name);
        assertTrue(i >= 0, "no " + name + " op in " + names(p));
        return i;
    }

    private static List<String> fields(String... f) {
        return List.of(f);
    }

    private static Plan.Op mountAt(Plan p, String dest) {
        return ops(p, "MOUNT").stream().filter(o -> o.fields().get(1).equals(dest)).findFirst().orElseThrow(
                () -> new AssertionError("no MOUNT at " + dest + " in " + p.ops()));
    }

    @Test
    void opensTheExecFifoFirstAndExecsLast() throws Exception {
        Plan p = plan();
        assertEquals(new Plan.Op("open the exec FIFO " + fifo, "OPEN_EXEC_FIFO", List.of(fifo.toString())), p.op(0));
        int n = p.ops().size();
        assertEquals(List.of("RESOLVE_EXEC", "READY", "WAIT_EXEC_FIFO", "EXEC"), names(p).subList(n - 4, n));
        assertEquals(fields("sh", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                p.op(n - 4).fields());
        assertEquals(fields("sh"), p.op(n - 1).fields());
    }

    @Test
    void clonesWithPidNetIpcUtsMntButUnsharesCgroupAfterSync() throws Exception {
        Plan p = plan();
        Plan.Op clone = only(p, "CLONE");
        long flags = Long.parseLong(clone.fields().get(0));
        assertEquals(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS, flags);
        assertEquals(1812070400L, flags);
        assertEquals(fields("", "", ""), clone.fields().subList(1, 4), "no id maps and no setgroups without a user namespace");
        Plan.Op unshare = only(p, "UNSHARE");
        assertEquals(fields(Long.toString(CLONE_NEWCGROUP)), unshare.fields());
        assertTrue(first(p, "SYNC") < first(p, "UNSHARE"), "the cgroup namespace is made once the init is in its cgroups");
        assertEquals(fields("created"), only(p, "SYNC").fields());
        assertTrue(first(p, "CLONE") < first(p, "SYNC"));
    }

    @Test
    void withoutACgroupNamespaceNothingIsUnshared() throws Exception {
        removeNamespace(doc, "cgroup");
        assertEquals(List.of(), ops(plan(), "UNSHARE"));
    }

    @Test
    void rootfsIsSetUpAfterSyncAndBeforeEveryMount() throws Exception {
        Plan p = plan();
        int sync = first(p, "SYNC");
        int rootfsOp = first(p, "ROOTFS");
        assertTrue(sync < first(p, "ROOT_PROPAGATION"));
        assertTrue(first(p, "ROOT_PROPAGATION") < rootfsOp);
        assertTrue(rootfsOp < first(p, "MOUNT"));
        assertEquals(fields(rootfs.toString()), only(p, "ROOTFS").fields());
        // runc's default root propagation: MS_SLAVE|MS_REC.
        assertEquals(fields(Long.toString(MS_SLAVE | MS_REC)), only(p, "ROOT_PROPAGATION").fields());
    }

    @Test
    void rootfsPropagationFromTheConfig() throws Exception {
        obj(doc, "linux").put("rootfsPropagation", "private");
        assertEquals(fields(Long.toString(MS_PRIVATE)), only(plan(), "ROOT_PROPAGATION").fields());
    }

    @Test
    void mountsFollowTheConfigWithRuncFlagsAndData() throws Exception {
        Plan p = plan();
        assertEquals(fields("proc", "/proc", "proc", "0", ""), mountAt(p, "/proc").fields());
        assertEquals(fields("tmpfs", "/dev", "tmpfs", Long.toString(MS_NOSUID | MS_STRICTATIME), "mode=755,size=65536k"),
                mountAt(p, "/dev").fields());
        assertEquals(fields("devpts", "/dev/pts", "devpts", Long.toString(MS_NOSUID | MS_NOEXEC),
                "newinstance,ptmxmode=0666,mode=0620,gid=5"), mountAt(p, "/dev/pts").fields());
        assertEquals(fields("shm", "/dev/shm", "tmpfs", Long.toString(MS_NOSUID | MS_NOEXEC | MS_NODEV),
                "mode=1777,size=65536k"), mountAt(p, "/dev/shm").fields());
        assertEquals(fields("sysfs", "/sys", "sysfs", Long.toString(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY), ""),
                mountAt(p, "/sys").fields());
        // In config order: /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys.
        List<String> dests = ops(p, "MOUNT").stream().map(o -> o.fields().get(1)).toList();
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys"), dests.subList(0, 6));
        // Each mount point is created first (mode 0755).
        int mkdir = names(p).indexOf("MKDIR");
        assertEquals(fields("/proc", "493"), p.op(mkdir).fields());
        assertTrue(mkdir < names(p).indexOf("MOUNT"));
    }

    @Test
    void defaultDevicesAreMadeWithMknodWithoutAUserNamespace() throws Exception {
        Plan p = plan();
        List<List<String>> mknods = ops(p, "MKNOD").stream().map(Plan.Op::fields).toList();
        // runc's default devices; mode 0666 = 438; owned by root.
        assertEquals(List.of(
                fields("/dev/null", "c", "1", "3", "438", "0", "0"),
                fields("/dev/zero", "c", "1", "5", "438", "0", "0"),
                fields("/dev/full", "c", "1", "7", "438", "0", "0"),
                fields("/dev/tty", "c", "5", "0", "438", "0", "0"),
                fields("/dev/random", "c", "1", "8", "438", "0", "0"),
                fields("/dev/urandom", "c", "1", "9", "438", "0", "0")), mknods);
        assertTrue(first(p, "MKNOD") > p.ops().indexOf(mountAt(p, "/dev")), "nodes go into the /dev tmpfs, after it is mounted");
        List<List<String>> links = ops(p, "SYMLINK").stream().map(Plan.Op::fields).toList();
        assertTrue(links.contains(fields("/proc/self/fd", "/dev/fd")));
        assertTrue(links.contains(fields("/proc/self/fd/0", "/dev/stdin")));
        assertTrue(links.contains(fields("/proc/self/fd/1", "/dev/stdout")));
        assertTrue(links.contains(fields("/proc/self/fd/2", "/dev/stderr")));
        assertTrue(links.contains(fields("pts/ptmx", "/dev/ptmx")));
    }

    @Test
    void configDevicesAreAddedAndReplaceDefaultsOfTheSamePath() throws Exception {
        obj(doc, "linux").put("devices", list(
                map("path", "/dev/fuse", "type", "c", "major", 10L, "minor", 229L, "fileMode", 0666L, "uid", 0L, "gid", 0L),
                map("path", "/dev/null", "type", "c", "major", 1L, "minor", 3L, "fileMode", 0600L, "uid", 1000L, "gid", 1000L)));
        List<List<String>> mknods = ops(plan(), "MKNOD").stream().map(Plan.Op::fields).toList();
        assertTrue(mknods.contains(fields("/dev/fuse", "c", "10", "229", "438", "0", "0")));
        assertTrue(mknods.contains(fields("/dev/null", "c", "1", "3", "384", "1000", "1000")));
        assertEquals(1, mknods.stream().filter(f -> f.get(0).equals("/dev/null")).count());
    }

    @Test
    void pivotRootComesAfterEveryMountAndMasksAfterThePivot() throws Exception {
        Plan p = plan();
        only(p, "PIVOT_ROOT");
        int pivot = first(p, "PIVOT_ROOT");
        assertTrue(last(p, "MOUNT") < pivot);
        assertTrue(last(p, "MKNOD") < pivot);
        assertTrue(pivot < first(p, "READONLY"));
        assertTrue(pivot < first(p, "MASK"));
        assertEquals(List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
                ops(p, "READONLY").stream().map(o -> o.fields().get(0)).toList());
        List<String> masked = ops(p, "MASK").stream().map(o -> o.fields().get(0)).toList();
        assertEquals(10, masked.size());
        assertTrue(masked.contains("/proc/timer_list"));
        assertFalse(names(p).contains("MOVE_ROOT"));
        // root.readonly: the root is remounted read-only after the masks.
        Plan.Op lastRemount = ops(p, "REMOUNT").get(ops(p, "REMOUNT").size() - 1);
        assertEquals(fields("/", Long.toString(MS_BIND | MS_RDONLY), ""), lastRemount.fields());
        assertTrue(last(p, "MASK") < names(p).lastIndexOf("REMOUNT"));
    }

    @Test
    void noPivotMovesTheRootInstead() throws Exception {
        Plan p = plan(true, Map.of());
        assertFalse(names(p).contains("PIVOT_ROOT"));
        assertTrue(last(p, "MOUNT") < first(p, "MOVE_ROOT"));
        assertTrue(first(p, "MOVE_ROOT") < first(p, "MASK"));
    }

    @Test
    void hostnameLoopbackAndSysctlsAreSetInTheContainer() throws Exception {
        obj(doc, "linux").put("sysctl", map("net.ipv4.ip_unprivileged_port_start", "0"));
        Plan p = plan();
        assertEquals(fields("runc"), only(p, "HOSTNAME").fields());
        assertTrue(names(p).contains("LOOPBACK_UP"), "a new network namespace's lo starts down");
        assertTrue(ops(p, "WRITE_FILE").stream().anyMatch(o ->
                o.fields().equals(fields("/proc/sys/net/ipv4/ip_unprivileged_port_start", "0"))));
        assertTrue(first(p, "PIVOT_ROOT") < first(p, "WRITE_FILE"), "the container's /proc/sys, not the host's");
        assertFalse(names(p).contains("CONSOLE"), "terminal is false");
    }

    @Test
    void terminalGetsAConsole() throws Exception {
        obj(doc, "process").put("terminal", true);
        assertTrue(names(plan()).contains("CONSOLE"));
    }

    @Test
    void credentialsInRuncOrder() throws Exception {
        Plan p = plan();
        // runc's finalizeNamespace: drop the bounding set, switch user (keeping caps), then capset.
        int bounding = first(p, "CAP_BOUNDING");
        int user = last(p, "USER");
        int caps = first(p, "CAPS");
        assertTrue(first(p, "RLIMIT") < bounding);
        assertTrue(bounding < user);
        assertTrue(user < caps);
        assertTrue(caps < first(p, "RESOLVE_EXEC"));
        assertTrue(first(p, "MASK") < bounding);
        assertEquals(fields("0", "0", ""), p.op(user).fields());
        assertEquals(fields("7", "1024", "1024"), only(p, "RLIMIT").fields(), "RLIMIT_NOFILE is resource 7");
        assertEquals(fields("22"), only(p, "UMASK").fields());
        assertEquals(fields("/"), only(p, "CHDIR").fields());
        assertTrue(names(p).contains("NO_NEW_PRIVS"));
    }

    @Test
    void capabilityMasksAreHexBitMasks() throws Exception {
        Plan p = plan();
        // CAP_AUDIT_WRITE (29) | CAP_KILL (5) | CAP_NET_BIND_SERVICE (10) = 0x20000420.
        assertEquals(fields("20000420"), only(p, "CAP_BOUNDING").fields());
        // effective, permitted, inheritable, ambient. The runc default lists ambient caps but no
        // inheritable ones: the kernel would refuse to raise them, so none are raised.
        assertEquals(fields("20000420", "20000420", "0", "0"), only(p, "CAPS").fields());
    }

    @Test
    void ambientCapsAreRaisedOnlyWhenPermittedAndInheritable() throws Exception {
        obj(doc, "process", "capabilities").put("inheritable", list("CAP_KILL", "CAP_NET_BIND_SERVICE"));
        arr(doc, "process", "capabilities", "permitted").remove("CAP_NET_BIND_SERVICE");
        Plan.Op caps = only(plan(), "CAPS");
        assertEquals("20000020", caps.fields().get(1));
        assertEquals("420", caps.fields().get(2));
        assertEquals("20", caps.fields().get(3), "only CAP_KILL is both permitted and inheritable");
    }

    @Test
    void noCapabilitiesMeansEmptyMasks() throws Exception {
        obj(doc, "process").remove("capabilities");
        Plan p = plan();
        assertEquals(fields("0"), only(p, "CAP_BOUNDING").fields());
        assertEquals(fields("0", "0", "0", "0"), only(p, "CAPS").fields());
    }

    @Test
    void rlimInfinityIsPassedAsTheUnsignedDecimal() throws Exception {
        String text = io.javarun.json.Json.write(doc).replace("\"hard\":1024,\"soft\":1024",
                "\"hard\":18446744073709551615,\"soft\":18446744073709551615");
        Spec spec = io.javarun.spec.SpecParser.parse(text);
        Plan p = CreatePlanner.plan(new CreatePlanner.Inputs("c1", spec, rootfs, fifo, null, false, false, Map.of()));
        assertEquals(fields("7", "18446744073709551615", "18446744073709551615"), only(p, "RLIMIT").fields());
    }

    @Test
    void environmentGetsHomeFromTheContainersPasswd() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::/home/app:/bin/sh\n");
        Plan p = plan();
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "HOME=/root"),
                ops(p, "ENV").stream().map(o -> o.fields().get(0)).toList());

        obj(doc, "process", "user").put("uid", 1000L);
        assertTrue(ops(plan(), "ENV").stream().anyMatch(o -> o.fields().equals(fields("HOME=/home/app"))));
    }

    @Test
    void passwdSymlinkIsResolvedInsideTheRootfs() throws Exception {
        // /etc/passwd -> /usr/share/base-passwd/passwd must be read from the rootfs, not the host.
        Files.createDirectories(rootfs.resolve("usr/share/base-passwd"));
        Files.writeString(rootfs.resolve("usr/share/base-passwd/passwd"), "root:x:0:0:root:/srv/root-home:/bin/sh\n");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/usr/share/base-passwd/passwd"));
        assertTrue(ops(plan(), "ENV").stream().anyMatch(o -> o.fields().equals(fields("HOME=/srv/root-home"))));
    }

    @Test
    void homeDefaultsToRootDirectoryWithoutPasswdAndIsNotAddedTwice() throws Exception {
        assertTrue(ops(plan(), "ENV").stream().anyMatch(o -> o.fields().equals(fields("HOME=/"))));
        arr(doc, "process", "env").add("HOME=/data");
        List<String> env = ops(plan(), "ENV").stream().map(o -> o.fields().get(0)).toList();
        assertEquals(1, env.stream().filter(e -> e.startsWith("HOME=")).count());
        assertTrue(env.contains("HOME=/data"));
    }

    @Test
    void sessionKeyringIsNamedAfterTheContainer() throws Exception {
        Plan p = plan();
        assertEquals(fields("_ses.c1", "0x80000"), only(p, "JOIN_KEYRING").fields());
        assertTrue(first(p, "SETSID") < first(p, "JOIN_KEYRING"));
        Plan none = CreatePlanner.plan(new CreatePlanner.Inputs("c1", Fixtures.spec(doc), rootfs, fifo, null, false,
                true, Map.of()));
        assertFalse(names(none).contains("JOIN_KEYRING"));
    }

    @Test
    void consoleSocketIsConnectedBeforeClone() throws Exception {
        obj(doc, "process").put("terminal", true);
        Plan p = CreatePlanner.plan(new CreatePlanner.Inputs("c1", Fixtures.spec(doc), rootfs, fifo, "/tmp/console.sock",
                false, false, Map.of()));
        assertEquals(fields("/tmp/console.sock"), only(p, "CONSOLE_SOCKET").fields());
        assertTrue(first(p, "CONSOLE_SOCKET") < first(p, "CLONE"));
        assertTrue(first(p, "PIVOT_ROOT") < first(p, "CONSOLE"));
    }

    @Test
    void joinedNamespacesAreEnteredBeforeClone() throws Exception {
        Path netns = Files.writeString(bundle.resolve("netns"), "");
        arr(doc, "linux", "namespaces").set(1, map("type", "network", "path", netns.toString()));
        Plan p = plan();
        assertEquals(fields("net", netns.toString()), only(p, "SETNS").fields());
        assertTrue(first(p, "SETNS") < first(p, "CLONE"));
        assertEquals(0, Long.parseLong(only(p, "CLONE").fields().get(0)) & CLONE_NEWNET);
        assertFalse(names(p).contains("LOOPBACK_UP"), "the joined namespace's lo is not ours to bring up");
    }

    private void addUserNamespace() {
        addNamespace(doc, "user");
        obj(doc, "linux").put("uidMappings", list(map("containerID", 0L, "hostID", 100000L, "size", 65536L)));
        obj(doc, "linux").put("gidMappings", list(map("containerID", 0L, "hostID", 200000L, "size", 65536L),
                map("containerID", 65536L, "hostID", 5L, "size", 1L)));
    }

    @Test
    void userNamespaceIsCreatedByCloneWithItsIdMaps() throws Exception {
        addUserNamespace();
        Plan p = plan();
        Plan.Op clone = only(p, "CLONE");
        assertEquals(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS,
                Long.parseLong(clone.fields().get(0)));
        // uid_map / gid_map text: "inside outside count" per line.
        assertEquals("0 100000 65536\n", clone.fields().get(1));
        assertEquals("0 200000 65536\n65536 5 1\n", clone.fields().get(2));
        // The child becomes root of its namespace first thing, before waiting for the runtime.
        int cloneAt = first(p, "CLONE");
        assertEquals(new Plan.Op("become root in the user namespace", "USER", List.of("0", "0", "-")), p.op(cloneAt + 1));
        assertTrue(cloneAt + 1 < first(p, "SYNC"));
        assertEquals(2, ops(p, "USER").size());
    }

    @Test
    void devicesAreBindMountedInAUserNamespace() throws Exception {
        addUserNamespace();
        Plan p = plan();
        assertEquals(List.of(), ops(p, "MKNOD"), "mknod is not allowed in a user namespace");
        for (String dev : List.of("/dev/null", "/dev/zero", "/dev/full", "/dev/tty", "/dev/random", "/dev/urandom")) {
            int mkfile = IntStream.range(0, p.ops().size())
                    .filter(i -> p.op(i).name().equals("MKFILE") && p.op(i).fields().get(0).equals(dev))
                    .findFirst().orElseThrow(() -> new AssertionError("no MKFILE " + dev));
            assertEquals(new Plan.Op("create device " + dev, "MOUNT", List.of(dev, dev, "", Long.toString(MS_BIND), "")),
                    p.op(mkfile + 1));
        }
    }

    // ---- cgroup mounts ----

    static final Hierarchy CPU = new Hierarchy("cpu,cpuacct", List.of("cpu", "cpuacct"),
            Path.of("/sys/fs/cgroup/cpu,cpuacct"), "/", false);
    static final Hierarchy MEMORY = new Hierarchy("memory", List.of("memory"), Path.of("/sys/fs/cgroup/memory"), "/", false);
    static final Hierarchy SYSTEMD = new Hierarchy("name=systemd", List.of(), Path.of("/sys/fs/cgroup/systemd"), "/", false);
    static final Hierarchy UNIFIED = new Hierarchy("", List.of(), Path.of("/sys/fs/cgroup/unified"), "/", true);

    private static Map<Hierarchy, Path> v1Cgroups() {
        Map<Hierarchy, Path> m = new LinkedHashMap<>();
        m.put(CPU, Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice/c1"));
        m.put(MEMORY, Path.of("/sys/fs/cgroup/memory/user.slice/c1"));
        m.put(SYSTEMD, Path.of("/sys/fs/cgroup/systemd/user.slice/c1"));
        m.put(UNIFIED, Path.of("/sys/fs/cgroup/unified/user.slice/c1"));
        return m;
    }

    /** The ops between the MKDIR of /sys/fs/cgroup and the next non-cgroup op. */
    private static List<Plan.Op> cgroupOps(Plan p) {
        int start = IntStream.range(0, p.ops().size())
                .filter(i -> p.op(i).name().equals("MKDIR") && p.op(i).fields().get(0).equals("/sys/fs/cgroup"))
                .findFirst().orElseThrow();
        List<Plan.Op> out = new ArrayList<>();
        for (int i = start; i < p.ops().size(); i++) {
            Plan.Op o = p.op(i);
            boolean cgroupPath = !o.fields().isEmpty() && (o.fields().get(0).startsWith("/sys/fs/cgroup")
                    || (o.fields().size() > 1 && o.fields().get(1).startsWith("/sys/fs/cgroup")));
            if (!cgroupPath) {
                break;
            }
            out.add(o);
        }
        return out;
    }

    private static List<String> record(Plan.Op o) {
        return o.record();
    }

    @Test
    void theInitJoinsItsCgroupsItselfFirstThingAfterTheCloneThroughFilesOpenedOnTheHost() throws Exception {
        addNamespace(doc, "user");
        Plan p = plan(false, v1Cgroups());
        List<String> n = names(p);
        assertEquals(List.of(
                List.of("CGROUP", "/sys/fs/cgroup/cpu,cpuacct/user.slice/c1", "1"),
                List.of("CGROUP", "/sys/fs/cgroup/memory/user.slice/c1", "1"),
                List.of("CGROUP", "/sys/fs/cgroup/systemd/user.slice/c1", "1"),
                List.of("CGROUP", "/sys/fs/cgroup/unified/user.slice/c1", "2")),
                ops(p, "CGROUP").stream().map(Plan.Op::record).toList(), "v1 hierarchies by name, v2 as \"2\"");
        assertEquals(List.of("CGROUP", "CGROUP", "CGROUP", "CGROUP"), n.subList(0, 4),
                "opened first, before any namespace is joined");
        assertEquals(first(p, "CLONE") + 1, first(p, "JOIN_CGROUPS"), "joined before anything else runs in the child");
        assertTrue(first(p, "JOIN_CGROUPS") < first(p, "USER") && first(p, "JOIN_CGROUPS") < first(p, "SYNC"));
        assertTrue(first(p, "UNSHARE") > first(p, "JOIN_CGROUPS"), "the cgroup namespace is made after the join");
        Plan none = plan(false, Map.of());
        assertEquals(-1, names(none).indexOf("CGROUP"));
        assertEquals(-1, names(none).indexOf("JOIN_CGROUPS"), "no cgroups, nothing to join");
    }

    @Test
    void cgroupV1WithoutCgroupNamespaceIsATmpfsWithOneBindPerHierarchy() throws Exception {
        removeNamespace(doc, "cgroup");
        List<List<String>> got = cgroupOps(plan(false, v1Cgroups())).stream().map(CreatePlannerTest::record).toList();
        long opts = MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME;
        String bindRo = Long.toString(MS_BIND | opts | MS_RDONLY);
        assertEquals(List.of(
                List.of("MKDIR", "/sys/fs/cgroup", "493"),
                List.of("MOUNT", "tmpfs", "/sys/fs/cgroup", "tmpfs", Long.toString(opts), "mode=755"),
                List.of("MKDIR", "/sys/fs/cgroup/cpu,cpuacct", "493"),
                List.of("MOUNT", "/sys/fs/cgroup/cpu,cpuacct/user.slice/c1", "/sys/fs/cgroup/cpu,cpuacct", "", "4096", ""),
                List.of("REMOUNT", "/sys/fs/cgroup/cpu,cpuacct", bindRo, ""),
                List.of("SYMLINK", "cpu,cpuacct", "/sys/fs/cgroup/cpu"),
                List.of("SYMLINK", "cpu,cpuacct", "/sys/fs/cgroup/cpuacct"),
                List.of("MKDIR", "/sys/fs/cgroup/memory", "493"),
                List.of("MOUNT", "/sys/fs/cgroup/memory/user.slice/c1", "/sys/fs/cgroup/memory", "", "4096", ""),
                List.of("REMOUNT", "/sys/fs/cgroup/memory", bindRo, ""),
                List.of("MKDIR", "/sys/fs/cgroup/systemd", "493"),
                List.of("MOUNT", "/sys/fs/cgroup/systemd/user.slice/c1", "/sys/fs/cgroup/systemd", "", "4096", ""),
                List.of("REMOUNT", "/sys/fs/cgroup/systemd", bindRo, ""),
                // The tmpfs itself is made read-only last (the config's "ro").
                List.of("REMOUNT", "/sys/fs/cgroup", Long.toString(opts | MS_RDONLY), "")), got);
    }

    @Test
    void cgroupV1WithCgroupNamespaceMountsEachHierarchy() throws Exception {
        List<List<String>> got = cgroupOps(plan(false, v1Cgroups())).stream().map(CreatePlannerTest::record).toList();
        String flags = Long.toString(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY);
        assertTrue(got.contains(List.of("MOUNT", "cgroup", "/sys/fs/cgroup/cpu,cpuacct", "cgroup", flags, "cpu,cpuacct")));
        assertTrue(got.contains(List.of("MOUNT", "cgroup", "/sys/fs/cgroup/memory", "cgroup", flags, "memory")));
        assertTrue(got.contains(List.of("MOUNT", "cgroup", "/sys/fs/cgroup/systemd", "cgroup", flags, "name=systemd")));
        assertTrue(got.contains(List.of("SYMLINK", "cpu,cpuacct", "/sys/fs/cgroup/cpu")));
        assertTrue(got.contains(List.of("SYMLINK", "cpu,cpuacct", "/sys/fs/cgroup/cpuacct")));
        assertTrue(got.stream().noneMatch(r -> r.contains("/sys/fs/cgroup/unified")), "hybrid: containers see v1 only");
    }

    @Test
    void cgroupV2WithoutCgroupNamespaceBindsTheContainersCgroup() throws Exception {
        removeNamespace(doc, "cgroup");
        Map<Hierarchy, Path> v2 = Map.of(new Hierarchy("", List.of(), Path.of("/sys/fs/cgroup"), "/", true),
                Path.of("/sys/fs/cgroup/default/c1"));
        List<List<String>> got = cgroupOps(plan(false, v2)).stream().map(CreatePlannerTest::record).toList();
        assertEquals(List.of(
                List.of("MKDIR", "/sys/fs/cgroup", "493"),
                List.of("MOUNT", "/sys/fs/cgroup/default/c1", "/sys/fs/cgroup", "", "4096", ""),
                List.of("REMOUNT", "/sys/fs/cgroup",
                        Long.toString(MS_BIND | MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY), "")), got);
    }

    @Test
    void cgroupV2WithCgroupNamespaceMountsCgroup2() throws Exception {
        Map<Hierarchy, Path> v2 = Map.of(new Hierarchy("", List.of(), Path.of("/sys/fs/cgroup"), "/", true),
                Path.of("/sys/fs/cgroup/default/c1"));
        List<List<String>> got = cgroupOps(plan(false, v2)).stream().map(CreatePlannerTest::record).toList();
        assertEquals(List.of(
                List.of("MKDIR", "/sys/fs/cgroup", "493"),
                List.of("MOUNT", "cgroup2", "/sys/fs/cgroup", "cgroup2",
                        Long.toString(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY), "")), got);
    }

    @Test
    void bindMountsAreRemountedWithTheirFlags() throws Exception {
        Path data = Files.createDirectories(bundle.resolve("data"));
        arr(doc, "mounts").add(map("destination", "/data", "type", "bind", "source", data.toString(),
                "options", list("rbind", "ro", "nosuid", "rprivate")));
        Plan p = plan();
        Plan.Op mount = mountAt(p, "/data");
        assertEquals(fields(data.toString(), "/data", "", Long.toString(MS_BIND | MS_REC), ""), mount.fields());
        int at = p.ops().indexOf(mount);
        assertEquals(fields("/data"), p.op(at - 1).fields().subList(0, 1));
        assertEquals("MKDIR", p.op(at - 1).name());
        assertEquals(new Plan.Op("remount /data with rbind,ro,nosuid,rprivate", "REMOUNT",
                List.of("/data", Long.toString(MS_BIND | MS_RDONLY | MS_NOSUID), "")), p.op(at + 1));
        assertEquals("PROPAGATION", p.op(at + 2).name());
        assertEquals(fields("/data", Long.toString(MS_PRIVATE | MS_REC)), p.op(at + 2).fields());
    }

    @Test
    void bindMountOfAFileCreatesAFileMountPoint() throws Exception {
        Path hosts = Files.writeString(bundle.resolve("hosts"), "127.0.0.1 localhost\n");
        arr(doc, "mounts").add(map("destination", "/etc/hosts", "type", "bind", "source", hosts.toString(),
                "options", list("bind")));
        Plan p = plan();
        int at = p.ops().indexOf(mountAt(p, "/etc/hosts"));
        assertEquals(new Plan.Op("create mount point /etc/hosts", "MKFILE", List.of("/etc/hosts", "493")), p.op(at - 1));
    }
}
