package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * linux.resources on cgroup v1: the controller files hold what the config asked for, read back
 * from the host and from inside the container, the same with runc and javarun; refusals as runc's;
 * {@code update} changes them live.
 */
class ResourcesTest extends ItBase {

    /** Every file a full resources config sets, as runc 1.1 writes it on this kernel. */
    static final List<String> FILES = List.of("memory/memory.limit_in_bytes", "memory/memory.soft_limit_in_bytes",
            "memory/memory.memsw.limit_in_bytes", "memory/memory.swappiness", "memory/memory.oom_control",
            "memory/memory.kmem.limit_in_bytes", "cpu/cpu.shares", "cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us",
            "cpu/cpu.rt_period_us", "cpu/cpu.rt_runtime_us", "cpuset/cpuset.cpus", "cpuset/cpuset.mems",
            "pids/pids.max", "blkio/blkio.bfq.weight");

    static void fullResources(Bundle b) {
        ObjectNode r = b.linux().withObjectProperty("resources");
        r.putObject("memory").put("limit", 64L << 20).put("reservation", 32L << 20).put("swap", 128L << 20)
                .put("swappiness", 10).put("disableOOMKiller", true).put("kernel", 64L << 20);
        r.putObject("cpu").put("shares", 512).put("quota", 50000).put("period", 100000).put("realtimePeriod", 1000000)
                .put("realtimeRuntime", 1000).put("cpus", "0").put("mems", "0");
        r.putObject("pids").put("limit", 100);
        r.putObject("blockIO").put("weight", 300);
    }

    /** The container's directory of a v1 controller, from /proc/PID/cgroup (mounts are at /sys/fs/cgroup/NAME). */
    static Path hostCgroup(int pid, String controller) {
        String text = Procs.read(Path.of("/proc", Integer.toString(pid), "cgroup")).orElseThrow();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
                return Path.of("/sys/fs/cgroup", f[1], f[2]);
            }
        }
        throw new AssertionError("no " + controller + " line in /proc/" + pid + "/cgroup:\n" + text);
    }

    /** controller/file -> first line of the file in the container's cgroup, read on the host. */
    static Map<String, String> readOnHost(int pid, List<String> files) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String cf : files) {
            String[] p = cf.split("/", 2);
            Path f = hostCgroup(pid, p[0]).resolve(p[1]);
            try {
                out.put(cf, Files.readString(f).split("\n")[0].strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The same files read inside the container (its /sys/fs/cgroup/NAME is its own cgroup). */
    static Map<String, String> readInside(Harness h, String id, List<String> files) {
        StringBuilder script = new StringBuilder();
        for (String cf : files) {
            script.append("head -n1 /sys/fs/cgroup/").append(cf).append(";");
        }
        String[] lines = h.exec("exec", id, "sh", "-c", script.toString()).ok().stdout().split("\n");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            out.put(files.get(i), lines[i].strip());
        }
        return out;
    }

    @BothRuntimes
    void limitsAreInTheControllerFilesOnTheHostAndInside(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        fullResources(b);
        String id = h.running(b, "reslimits");
        int pid = h.state(id).get("pid").asInt();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("memory/memory.limit_in_bytes", "67108864");
        expected.put("memory/memory.soft_limit_in_bytes", "33554432");
        expected.put("memory/memory.memsw.limit_in_bytes", "134217728");
        expected.put("memory/memory.swappiness", "10");
        expected.put("memory/memory.oom_control", "oom_kill_disable 1");
        // Kernel memory is ignored (runc 1.1: "Kernel memory settings are ignored and will be removed").
        expected.put("memory/memory.kmem.limit_in_bytes", "9223372036854771712");
        expected.put("cpu/cpu.shares", "512");
        expected.put("cpu/cpu.cfs_quota_us", "50000");
        expected.put("cpu/cpu.cfs_period_us", "100000");
        expected.put("cpu/cpu.rt_period_us", "1000000");
        expected.put("cpu/cpu.rt_runtime_us", "1000");
        expected.put("cpuset/cpuset.cpus", "0");
        expected.put("cpuset/cpuset.mems", "0");
        expected.put("pids/pids.max", "100");
        expected.put("blkio/blkio.bfq.weight", "300");
        assertEquals(expected, readOnHost(pid, FILES));
        assertEquals(expected, readInside(h, id, FILES));
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /** The two runtimes side by side on the same config: every file the same. */
    @Test
    void javarunWritesWhatRuncWrites() {
        Map<Kind, Map<String, String>> seen = new LinkedHashMap<>();
        for (Kind kind : new Kind[] {Kind.RUNC, Kind.JAVARUN}) {
            Harness h = harness(kind);
            Bundle b = h.newBundle();
            fullResources(b);
            ObjectNode r = (ObjectNode) b.linux().get("resources");
            ((ObjectNode) r.get("pids")).put("limit", -1);
            ((ObjectNode) r.get("memory")).put("swap", -1).remove("disableOOMKiller");
            String id = h.running(b, "resside");
            seen.put(kind, readOnHost(h.state(id).get("pid").asInt(), FILES));
            h.delete("-f", id).ok();
            h.assertNothingLeft(id, b);
        }
        assertEquals(seen.get(Kind.RUNC), seen.get(Kind.JAVARUN));
        assertEquals("max", seen.get(Kind.JAVARUN).get("pids/pids.max"));
    }

    /** Values the kernel or runc refuse fail the create, and nothing is left behind. */
    @BothRuntimes
    void refusedValuesFailTheCreateAndLeaveNothing(Kind kind) {
        Harness h = harness(kind);
        String[][] cases = {
            {"memory", "swappiness", "101", "invalid memory swappiness value: 101 (valid range is 0-100)"},
            // Above the root's 950000us budget: the kernel says EINVAL.
            {"cpu", "realtimeRuntime", "960000", "cpu.rt_runtime_us: invalid argument"},
            // memsw below the (unlimited) memory limit.
            {"memory", "swap", "134217728", "memory.memsw.limit_in_bytes: invalid argument"},
        };
        for (String[] c : cases) {
            Bundle b = h.newBundle();
            b.linux().withObjectProperty("resources").putObject(c[0]).put(c[1], Long.parseLong(c[2]));
            String id = h.newId("resbad");
            Result r = h.create(b, id).failed();
            assertTrue(r.stderr().contains(c[3]), r.toString());
            h.assertNothingLeft(id, b);
        }
        // No hugetlb hierarchy is mounted here: the limit cannot be set, and the create says so.
        Bundle hb = h.newBundle();
        hb.linux().withObjectProperty("resources").putArray("hugepageLimits").addObject().put("pageSize", "2MB")
                .put("limit", 2097152);
        String hid = h.newId("reshuge");
        Result hr = h.create(hb, hid).failed();
        assertTrue(hr.stderr().contains("hugetlb"), hr.toString());
        h.assertNothingLeft(hid, hb);

        Bundle b = h.newBundle();
        b.linux().withObjectProperty("resources").putObject("unified").put("memory.max", "1000000");
        String id = h.newId("resunified");
        Result r = h.create(b, id).failed();
        assertTrue(r.stderr().contains("cannot use unified on cgroup v1"), r.toString());
        h.assertNothingLeft(id, b);
    }

    /** update changes the files of a running container; later reads (javarun: state.json) show the values. */
    @BothRuntimes
    void updateChangesLimitsLive(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        b.linux().withObjectProperty("resources").putObject("memory").put("limit", 64L << 20);
        String id = h.running(b, "resupd");
        int pid = h.state(id).get("pid").asInt();
        h.exec("update", "--memory", "32m", "--memory-swap", "96M", "--pids-limit", "20", "--cpu-share", "300",
                "--cpu-quota", "20000", "--cpuset-cpus", "0", id).ok();
        List<String> files = List.of("memory/memory.limit_in_bytes", "memory/memory.memsw.limit_in_bytes",
                "pids/pids.max", "cpu/cpu.shares", "cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us", "cpuset/cpuset.cpus");
        assertEquals(List.of("33554432", "100663296", "20", "300", "20000", "100000", "0"),
                List.copyOf(readOnHost(pid, files).values()));
        assertEquals(List.copyOf(readOnHost(pid, files).values()), List.copyOf(readInside(h, id, files).values()));
        // Raising memory above the current memsw: swap is written first, as runc orders it.
        Path res = h.hostDir("upd").resolve("resources.json");
        Files.writeString(res, "{\"memory\":{\"limit\":268435456,\"swap\":536870912},\"cpu\":{\"period\":50000}}");
        h.exec("update", "--resources", res.toString(), id).ok();
        assertEquals(List.of("268435456", "536870912", "20", "300", "20000", "50000", "0"),
                List.copyOf(readOnHost(pid, files).values()));
        // Bad values are refused with runc's words and change nothing.
        Result bad = h.exec("update", "--memory", "32x", id).failed();
        assertTrue(bad.stderr().contains("invalid value for memory: invalid size: '32x'"), bad.toString());
        bad = h.exec("update", "--cpu-share", "abc", id).failed();
        assertTrue(bad.stderr().contains("invalid value for cpu-share"), bad.toString());
        // Below what the container uses: the kernel says EBUSY, runc reports the usage.
        bad = h.exec("update", "--memory", "4096", id).failed();
        assertTrue(bad.stderr().contains("unable to set memory limit to 4096 (current usage: "), bad.toString());
        assertEquals("268435456", readOnHost(pid, files).get("memory/memory.limit_in_bytes"));
        if (kind == Kind.JAVARUN) {
            JsonNode stored = Json.parse(Files.readString(h.rt().root().resolve(id).resolve("state.json")));
            JsonNode r = stored.path("config").path("linux").path("resources");
            assertEquals(268435456L, r.path("memory").path("limit").asLong(), stored.toString());
            assertEquals(536870912L, r.path("memory").path("swap").asLong());
            assertEquals(20, r.path("pids").path("limit").asInt());
            assertEquals(300, r.path("cpu").path("shares").asInt());
            assertEquals(50000, r.path("cpu").path("period").asInt());
        }
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }
}
