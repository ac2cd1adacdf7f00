package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each namespace of the config, observed from inside the container. */
class NamespaceTest extends ItBase {
    /** OCI namespace type -> name under /proc/self/ns. */
    private static final Map<String, String> PROC_NS = new LinkedHashMap<>();

    static {
        PROC_NS.put("pid", "pid");
        PROC_NS.put("network", "net");
        PROC_NS.put("ipc", "ipc");
        PROC_NS.put("uts", "uts");
        PROC_NS.put("mount", "mnt");
        PROC_NS.put("cgroup", "cgroup");
        PROC_NS.put("user", "user");
    }

    private static String hostNs(String procName) {
        return Procs.readLink(Path.of("/proc/self/ns", procName)).orElseThrow();
    }

    /** Prints "name ns-link" for every namespace of the shell. */
    private static String nsScript() {
        StringBuilder sb = new StringBuilder();
        for (String n : PROC_NS.values()) {
            sb.append("echo ").append(n).append(" $(readlink /proc/self/ns/").append(n).append("); ");
        }
        return sb.toString();
    }

    private static Map<String, String> parseNs(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.split(" ", 2);
            m.put(f[0], f.length > 1 ? f[1] : "");
        }
        return m;
    }

    /** runc's default namespaces (pid, network, ipc, uts, mount) are new; cgroup and user are the host's. */
    @BothRuntimes
    void defaultNamespacesAreNewOthersShared(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        Map<String, String> inside = parseNs(h.sh(b, nsScript()).ok().stdout());
        for (Map.Entry<String, String> e : PROC_NS.entrySet()) {
            String host = hostNs(e.getValue());
            if (b.hasNamespace(e.getKey())) {
                assertNotEquals(host, inside.get(e.getValue()), e.getKey() + " namespace must be new");
            } else {
                assertEquals(host, inside.get(e.getValue()), e.getKey() + " namespace must be the host's");
            }
        }
    }

    @BothRuntimes
    void pidNamespace(Kind kind) {
        Harness h = harness(kind);
        Result r = h.sh(h.newBundle(), "echo $$; ps -o pid,comm | sed 1d").ok();
        List<String> lines = List.of(r.stdout().strip().split("\n"));
        assertEquals("1", lines.get(0).strip(), "sh is pid 1: " + r);
        assertTrue(lines.contains("    1 sh") || lines.stream().anyMatch(l -> l.trim().equals("1 sh")), "ps sees sh as pid 1: " + r);
        // Only the container's own processes are visible, not the host's hundreds.
        assertTrue(Procs.pids().size() > 10, "the host has processes to hide");
        assertTrue(lines.size() - 1 <= 3, "processes seen inside: " + r);
    }

    @BothRuntimes
    void utsNamespaceHostname(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().hostname("jr-test-host");
        String hostBefore = Files.readString(Path.of("/proc/sys/kernel/hostname"));
        Result r = h.sh(b, "hostname; cat /etc/hostname").ok();
        assertEquals("jr-test-host\nbusybox\n", r.stdout(), "hostname set, /etc/hostname untouched: " + r);
        assertEquals(hostBefore, Files.readString(Path.of("/proc/sys/kernel/hostname")), "host's name unchanged");
    }

    /** domainname (OCI 1.1; runc 1.2+, not runc 1.1 which ignores it). */
    @Test
    void javarunSetsDomainname() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle().hostname("jr-test-host");
        b.config().put("domainname", "jr.example");
        Result r = h.sh(b, "hostname; cat /proc/sys/kernel/domainname").ok();
        assertEquals("jr-test-host\njr.example\n", r.stdout(), r.toString());
    }

    /** A new network namespace has only lo, and lo is up (IFF_UP in its flags). */
    @BothRuntimes
    void networkNamespaceHasOnlyLoopbackUp(Kind kind) {
        Harness h = harness(kind);
        Result r = h.sh(h.newBundle(), "ls /sys/class/net; cat /sys/class/net/lo/flags; ip -o link show lo").ok();
        String[] lines = r.stdout().strip().split("\n");
        assertEquals("lo", lines[0], "only lo: " + r);
        assertEquals(1, Integer.decode(lines[1].strip()) & 1, "lo is up (IFF_UP): " + r);
        assertTrue(lines[2].matches(".*<[^>]*\\bUP\\b[^>]*>.*"), "ip link shows UP: " + r);
    }

    /** With a cgroup namespace the container sees its own cgroup as the root. */
    @BothRuntimes
    void cgroupNamespace(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().namespace("cgroup", null);
        Result r = h.sh(b, "cat /proc/self/cgroup").ok();
        for (String line : r.stdout().strip().split("\n")) {
            assertTrue(line.endsWith(":/"), "every hierarchy is rooted at the container's cgroup: " + r);
        }
        Map<String, String> inside = parseNs(h.sh(b, nsScript()).ok().stdout());
        assertNotEquals(hostNs("cgroup"), inside.get("cgroup"));
    }

    /** A user namespace maps container root to host uid/gid 100000 (65536 ids). */
    @BothRuntimes
    void userNamespaceMappings(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().userNamespace(100000, 65536);
        Result r = h.sh(b, "cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; stat -c %u /bin/busybox").ok();
        List<String> lines = List.of(r.stdout().strip().split("\n"));
        assertEquals(List.of("0", "100000", "65536"), List.of(lines.get(0).trim().split("\\s+")), r.toString());
        assertEquals(List.of("0", "100000", "65536"), List.of(lines.get(1).trim().split("\\s+")), r.toString());
        assertEquals("0", lines.get(2), "root inside");
        assertEquals("0", lines.get(3));
        // Host root's files are not root's inside: unmapped ids show as the overflow uid.
        assertEquals("65534", lines.get(4), r.toString());
    }

    /** A namespace given by path is joined: here the network namespace of a running container. */
    @BothRuntimes
    void joinsANamespaceByPath(Kind kind) {
        Harness h = harness(kind);
        Path shared = h.hostDir("shared");
        Bundle first = h.newBundle().args("sleep", "1000");
        String a = h.newId("nsowner");
        h.run(first, a, "-d").ok();
        int pid = h.state(a).get("pid").asInt();
        String netns = Procs.readLink(Path.of("/proc", Integer.toString(pid), "ns", "net")).orElseThrow();
        String utsns = Procs.readLink(Path.of("/proc", Integer.toString(pid), "ns", "uts")).orElseThrow();

        Bundle second = h.newBundle().bind(shared, "/shared", false)
                .namespace("network", "/proc/" + pid + "/ns/net");
        Result r = h.sh(second, "readlink /proc/self/ns/net; readlink /proc/self/ns/uts").ok();
        String[] lines = r.stdout().strip().split("\n");
        assertEquals(netns, lines[0], "joined the first container's network namespace");
        assertNotEquals(utsns, lines[1], "but has its own uts namespace");
        h.delete("-f", a).ok();
        h.assertNothingLeft(a, first);
    }

    /** An ipc namespace of its own: a System V message queue made inside is not seen on the host. */
    @BothRuntimes
    void ipcNamespace(Kind kind) {
        Harness h = harness(kind);
        Result r = h.sh(h.newBundle(), "readlink /proc/self/ns/ipc; cat /proc/sysvipc/shm | wc -l").ok();
        String[] lines = r.stdout().strip().split("\n");
        assertNotEquals(hostNs("ipc"), lines[0]);
        assertEquals("1", lines[1].strip(), "no shared memory segment but the header line: " + r);
    }
}
