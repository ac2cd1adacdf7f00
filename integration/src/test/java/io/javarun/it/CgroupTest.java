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
     * Resource limits belong to the cgroups work item: until it lands javarun must refuse them by
     * name, before anything is created, never run a container without the limits it asked for.
     */
    @Test
    void javarunRefusesResourceLimitsItDoesNotSetYet() {
        Harness h = harness(Kind.JAVARUN);
        String id = h.newId("cglimits");
        Bundle b = h.newBundle();
        ObjectNode resources = b.linux().withObjectProperty("resources");
        resources.putObject("memory").put("limit", 64L * 1024 * 1024);
        Result r = h.create(b, id).failed();
        h.assertNothingLeft(id, b);
        assertTrue(r.stderr().contains(id) && r.stderr().contains("linux.resources.memory")
                && r.stderr().contains("not supported yet"), r.toString());
    }
}
