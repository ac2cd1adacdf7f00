package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the container's process is placed in the cgroup tree, and the limits of linux.resources. */
class CgroupTest extends ItBase {

    /** Without linux.cgroupsPath, runc puts the process in a cgroup named after the container, in every hierarchy. */
    @BothRuntimes
    void defaultPlacementIsNamedAfterTheContainer(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("cgplace");
        h.run(b, id, "-d").ok();
        int pid = h.state(id).get("pid").asInt();
        String cgroups = Procs.read(Path.of("/proc", Integer.toString(pid), "cgroup")).orElseThrow();
        for (String line : cgroups.strip().split("\n")) {
            assertTrue(line.endsWith("/" + id), "every hierarchy places it in .../" + id + ":\n" + cgroups);
        }
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /** linux.cgroupsPath is honoured: the container is in that cgroup in every hierarchy. */
    @BothRuntimes
    void cgroupsPathIsHonoured(Kind kind) throws Exception {
        Harness h = harness(kind);
        String id = h.newId("cgpath");
        Bundle b = h.newBundle();
        // Ends with the id, so the leftovers check and the cleanup cover it.
        b.linux().put("cgroupsPath", "/javarun-it/" + id);
        b.sh("exec sleep 1000");
        h.cgroupParentToRemove("javarun-it");
        h.run(b, id, "-d").ok();
        int pid = h.state(id).get("pid").asInt();
        String cgroups = Procs.read(Path.of("/proc", Integer.toString(pid), "cgroup")).orElseThrow();
        for (String line : cgroups.strip().split("\n")) {
            assertTrue(line.endsWith(":/javarun-it/" + id), "placed at cgroupsPath:\n" + cgroups);
        }
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /**
     * A memory limit is in force: the cgroup files say so (from the host and from inside), and a
     * process that needs more than the limit (and swap) is killed by the OOM killer, as with runc.
     */
    @BothRuntimes
    void memoryLimitIsSetAndEnforced(Kind kind) {
        Harness h = harness(kind);
        String id = h.newId("cglimits");
        Bundle b = h.newBundle();
        ObjectNode resources = b.linux().withObjectProperty("resources");
        resources.putObject("memory").put("limit", 32L * 1024 * 1024).put("swap", 32L * 1024 * 1024);
        // tail keeps the whole line in memory: /dev/zero has no newline, so it needs 64 MiB.
        b.sh("cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes;"
                + " if head -c 67108864 /dev/zero | tail -n1 > /dev/null; then echo survived; else echo killed; fi");
        h.create(b, id).ok();
        int pid = h.state(id).get("pid").asInt();
        assertEquals("33554432", ResourcesTest.readOnHost(pid, java.util.List.of("memory/memory.limit_in_bytes"))
                .get("memory/memory.limit_in_bytes"));
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);

        // The OOM killer picks the reader; but when the reaped reader has not exited yet, a second
        // OOM in the same cgroup may pick the shell as well (seen with runc too): then the
        // container itself ends with SIGKILL. Either way the reader must not survive.
        Result r = h.run(b, h.newId("cglimits"));
        String out = r.stdout();
        assertTrue(out.startsWith("33554432\n33554432\n"), "limits inside: " + r);
        boolean readerKilled = out.equals("33554432\n33554432\nkilled\n") && r.exitCode() == 0;
        boolean containerKilled = !out.contains("survived") && r.exitCode() == 128 + 9;
        assertTrue(readerKilled || containerKilled, "the 64 MiB reader was OOM-killed: " + r);
    }
}
