package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The container's process: identity, environment, limits, capabilities, sysctls, keyring, OOM score. */
class ProcessTest extends ItBase {
    /** Capability numbers (linux/capability.h). */
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
            "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
            "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
            "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    private static long mask(JsonNode names) {
        long m = 0;
        for (JsonNode n : names) {
            int bit = CAPS.indexOf(n.asText());
            assertTrue(bit >= 0, "unknown capability " + n);
            m |= 1L << bit;
        }
        return m;
    }

    /** "Name:\tvalue" lines of /proc/self/status as printed inside. */
    private static Map<String, String> status(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return m;
    }

    @BothRuntimes
    void userGroupsAndAdditionalGids(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().user(1000, 1000, 2000);
        Result r = h.sh(b, "id; grep -E '^(Uid|Gid|Groups):' /proc/self/status").ok();
        Map<String, String> st = status(r.stdout().substring(r.stdout().indexOf('\n') + 1));
        assertEquals("1000\t1000\t1000\t1000", st.get("Uid"), r.toString());
        assertEquals("1000\t1000\t1000\t1000", st.get("Gid"), r.toString());
        assertEquals("2000", st.get("Groups"), "additionalGids are the supplementary groups: " + r);
        assertTrue(r.stdout().startsWith("uid=1000(user1) gid=1000(user1) groups=2000(grp2)"), r.toString());
    }

    @BothRuntimes
    void rootHasNoSupplementaryGroups(Kind kind) {
        Harness h = harness(kind);
        Result r = h.sh(h.newBundle(), "grep -E '^Groups:' /proc/self/status").ok();
        assertEquals("", status(r.stdout()).get("Groups"), r.toString());
    }

    @BothRuntimes
    void umaskCwdAndEnv(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().cwd("/etc").env("FOO=bar baz", "EMPTY=");
        ((ObjectNode) b.process().get("user")).put("umask", 0027);
        Result r = h.sh(b, "umask; pwd; echo \"$FOO\"; echo \"[${EMPTY-unset}]\"; echo $HOME; echo $PATH").ok();
        assertEquals(List.of("0027", "/etc", "bar baz", "[]", "/root",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), List.of(r.stdout().strip().split("\n")), r.toString());
    }

    /** HOME comes from /etc/passwd when the config does not set it (runc does this). */
    @BothRuntimes
    void homeFromPasswd(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().user(1000, 1000);
        Result r = h.sh(b, "echo $HOME").ok();
        assertEquals("/home/user1\n", r.stdout());
        b.env("HOME=/elsewhere");
        assertEquals("/elsewhere\n", h.sh(b, "echo $HOME").ok().stdout());
    }

    /** The process's cwd is created if missing (runc does), inside the rootfs. */
    @BothRuntimes
    void cwdIsCreatedIfMissing(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().readonlyRoot(false).cwd("/work/dir");
        assertEquals("/work/dir\n", h.sh(b, "pwd").ok().stdout());
        assertTrue(Files.isDirectory(b.rootfs().resolve("work/dir")));
    }

    @BothRuntimes
    void rlimits(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().rlimit("RLIMIT_NOFILE", 1000, 2000).rlimit("RLIMIT_NPROC", 500, 600);
        Result r = h.sh(b, "ulimit -n; ulimit -Hn; ulimit -u; ulimit -Hu; grep 'Max open files' /proc/self/limits").ok();
        List<String> lines = List.of(r.stdout().strip().split("\n"));
        assertEquals(List.of("1000", "2000", "500", "600"), lines.subList(0, 4), r.toString());
        assertTrue(lines.get(4).matches("Max open files\\s+1000\\s+2000\\s+files\\s*"), r.toString());
    }

    /** runc's default capabilities, then a larger set: every set in /proc/self/status matches the config. */
    @BothRuntimes
    void capabilities(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        checkCaps(h, b);
        ObjectNode caps = (ObjectNode) b.process().get("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            caps.withArrayProperty(set).add("CAP_SYS_ADMIN").add("CAP_NET_ADMIN").add("CAP_CHOWN");
        }
        caps.withArrayProperty("inheritable").add("CAP_CHOWN");
        checkCaps(h, b);
    }

    /** A non-root user keeps the ambient capabilities of the config. */
    @BothRuntimes
    void capabilitiesOfANonRootUser(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().user(1000, 1000);
        ObjectNode caps = (ObjectNode) b.process().get("capabilities");
        caps.withArrayProperty("inheritable").add("CAP_AUDIT_WRITE").add("CAP_KILL").add("CAP_NET_BIND_SERVICE");
        checkCaps(h, b);
        // Without ambient, a non-root user's exec drops permitted and effective.
        caps.remove("ambient");
        Map<String, String> st = status(h.sh(b, "grep ^Cap /proc/self/status").ok().stdout());
        assertEquals(0L, Long.parseLong(st.get("CapEff"), 16), st.toString());
        assertEquals(mask(caps.get("bounding")), Long.parseLong(st.get("CapBnd"), 16), st.toString());
    }

    private static void checkCaps(Harness h, Bundle b) {
        JsonNode caps = b.process().get("capabilities");
        Map<String, String> st = status(h.sh(b, "grep ^Cap /proc/self/status").ok().stdout());
        assertEquals(mask(caps.get("bounding")), Long.parseLong(st.get("CapBnd"), 16), "CapBnd " + st);
        assertEquals(mask(caps.get("effective")), Long.parseLong(st.get("CapEff"), 16), "CapEff " + st);
        assertEquals(mask(caps.get("permitted")), Long.parseLong(st.get("CapPrm"), 16), "CapPrm " + st);
        assertEquals(caps.has("inheritable") ? mask(caps.get("inheritable")) : 0L, Long.parseLong(st.get("CapInh"), 16), "CapInh " + st);
        // The kernel keeps an ambient capability only if it is also permitted and inheritable; runc
        // raises the others without error (runc's own template lists ambient caps but no inheritable).
        long ambient = caps.has("ambient") ? mask(caps.get("ambient")) & mask(caps.get("permitted"))
                & (caps.has("inheritable") ? mask(caps.get("inheritable")) : 0L) : 0L;
        assertEquals(ambient, Long.parseLong(st.get("CapAmb"), 16), "CapAmb " + st);
    }

    @BothRuntimes
    void noNewPrivileges(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        assertEquals("NoNewPrivs:\t1\n", h.sh(b, "grep ^NoNewPrivs /proc/self/status").ok().stdout());
        b.process().put("noNewPrivileges", false);
        assertEquals("NoNewPrivs:\t0\n", h.sh(b, "grep ^NoNewPrivs /proc/self/status").ok().stdout());
    }

    /** linux.sysctl is applied in the container's namespaces, not on the host. */
    @BothRuntimes
    void sysctl(Kind kind) throws Exception {
        Harness h = harness(kind);
        String hostBefore = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        String wanted = hostBefore.equals("1") ? "0" : "1";
        Bundle b = h.newBundle();
        b.linux().putObject("sysctl").put("net.ipv4.ip_forward", wanted).put("kernel.shmmni", "1000");
        Result r = h.sh(b, "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni").ok();
        assertEquals(wanted + "\n1000\n", r.stdout(), r.toString());
        assertEquals(hostBefore, Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip(), "host unchanged");
    }

    @BothRuntimes
    void oomScoreAdjCanBeRaised(Kind kind) throws Exception {
        Harness h = harness(kind);
        int current = Integer.parseInt(Files.readString(Path.of("/proc/self/oom_score_adj")).strip());
        int wanted = Math.min(1000, current + 100);
        Bundle b = h.newBundle();
        b.process().put("oomScoreAdj", wanted);
        assertEquals(wanted + "\n", h.sh(b, "cat /proc/self/oom_score_adj").ok().stdout());
    }

    /** A container joins a new session keyring named after it ({@code _ses.ID}, as runc), unless --no-new-keyring. */
    @BothRuntimes
    void sessionKeyring(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String withKeyring = h.newId("keyring");
        h.create(b, withKeyring).ok();
        int pid = h.state(withKeyring).get("pid").asInt();
        String keys = Files.readString(Path.of("/proc/keys"));
        // runc names it _ses.<id>.
        assertTrue(keys.matches("(?s).*keyring\\s+_ses\\." + java.util.regex.Pattern.quote(withKeyring) + ":.*"),
                "a session keyring named after the container: \n" + keys);
        assertTrue(pid > 0);
        h.delete("-f", withKeyring).ok();
        h.assertNothingLeft(withKeyring, b);

        String noKeyring = h.newId("nokeyring");
        h.create(b, noKeyring, "--no-new-keyring").ok();
        assertFalse(Files.readString(Path.of("/proc/keys")).contains(noKeyring), "--no-new-keyring makes none");
        h.start(noKeyring).ok();
        assertEquals("running", h.status(noKeyring));
        h.delete("-f", noKeyring).ok();
        h.assertNothingLeft(noKeyring, b);
    }
}
