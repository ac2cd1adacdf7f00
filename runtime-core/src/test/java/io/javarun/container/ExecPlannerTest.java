package io.javarun.container;

import static io.javarun.testing.Fixtures.addNamespace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.process.Plan;
import io.javarun.spec.ConfigException;
import io.javarun.spec.ProcessSpec;
import io.javarun.spec.Spec;
import io.javarun.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecPlannerTest {
    @TempDir
    Path rootfs;

    private static ExecRequest request(List<String> args, String user, List<String> gids, List<String> env,
            List<String> caps) {
        return new ExecRequest("c1", args, null, null, null, env, false, user, gids, false, null, false, caps, 0, false,
                List.of());
    }

    private static List<String> names(Plan p) {
        List<String> out = new ArrayList<>();
        for (Plan.Op op : p.ops()) {
            out.add(op.name());
        }
        return out;
    }

    @Test
    void joinsEveryNamespaceOfTheContainerThroughItsInitUserFirstMountLast() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        addNamespace(doc, "user");
        Spec spec = Fixtures.spec(doc);
        ProcessSpec proc = ContainerExec.fromConfig(spec.process(), request(List.of("true"), null, List.of(), List.of(), List.of()));
        Plan plan = ExecPlanner.plan(spec.linux(), 4242, proc, rootfs, null, Map.of());
        List<Plan.Op> setns = new ArrayList<>();
        for (Plan.Op op : plan.ops()) {
            if (op.name().equals("SETNS")) {
                setns.add(op);
            }
        }
        assertEquals(List.of("user", "/proc/4242/ns/user"), setns.get(0).fields());
        assertEquals(List.of("mnt", "/proc/4242/ns/mnt"), setns.get(setns.size() - 1).fields());
        assertEquals(spec.linux().namespaces().size(), setns.size(), "one SETNS per namespace of the config");
        List<String> n = names(plan);
        // No new namespaces: the child is forked into the joined ones.
        assertEquals(List.of("0", "", "", ""), plan.ops().get(n.indexOf("CLONE")).fields());
        assertTrue(n.indexOf("SYNC") > n.indexOf("CLONE") && n.indexOf("ROOT_SLASH") > n.indexOf("SYNC"));
        assertTrue(n.indexOf("CAP_BOUNDING") < n.indexOf("USER") && n.indexOf("USER") < n.indexOf("CAPS"));
        assertEquals("EXEC", n.get(n.size() - 1));
        assertEquals(-1, n.indexOf("READY"), "exec has no exec FIFO: end of stream means it ran");
        assertEquals(-1, n.indexOf("MOUNT"), "exec never mounts");
    }

    @Test
    void theProcessJoinsTheCgroupsItWasGivenRightAfterTheClone() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        addNamespace(doc, "user");
        Spec spec = Fixtures.spec(doc);
        ProcessSpec proc = ContainerExec.fromConfig(spec.process(), request(List.of("true"), null, List.of(), List.of(), List.of()));
        Map<String, Path> cgroups = new LinkedHashMap<>();
        cgroups.put("pids", Path.of("/sys/fs/cgroup/pids/c1/sub"));
        cgroups.put("", Path.of("/sys/fs/cgroup/unified/c1"));
        Plan plan = ExecPlanner.plan(spec.linux(), 4242, proc, rootfs, null, cgroups);
        List<String> n = names(plan);
        assertEquals(List.of("CGROUP", "/sys/fs/cgroup/pids/c1/sub", "1"), plan.ops().get(0).record());
        assertEquals(List.of("CGROUP", "/sys/fs/cgroup/unified/c1", "2"), plan.ops().get(1).record());
        assertTrue(n.lastIndexOf("CGROUP") < n.indexOf("SETNS"), "opened on the host, before the user namespace is joined");
        assertEquals(n.indexOf("CLONE") + 1, n.indexOf("JOIN_CGROUPS"));
    }

    @Test
    void overridesAsRuncDoes() throws Exception {
        Spec spec = Fixtures.spec(Fixtures.runcSpec());
        ProcessSpec p = ContainerExec.fromConfig(spec.process(),
                request(List.of("id"), "1000", List.of("5", "6"), List.of("X=1"), List.of("SYS_ADMIN")));
        assertEquals(List.of("id"), p.args());
        assertEquals(1000, p.user().uid());
        assertEquals(0, p.user().gid(), "a uid alone keeps the config's gid");
        assertEquals(List.of(5L, 6L), p.user().additionalGids());
        assertEquals("X=1", p.env().get(p.env().size() - 1), "--env is added after the config's");
        assertTrue(p.capabilities().effective().contains("CAP_SYS_ADMIN"));
        assertTrue(p.capabilities().bounding().contains("CAP_SYS_ADMIN"));
        assertEquals(spec.process().rlimits(), p.rlimits());
        ProcessSpec both = ContainerExec.fromConfig(spec.process(),
                request(List.of("id"), "7:8", List.of(), List.of(), List.of()));
        assertEquals(7, both.user().uid());
        assertEquals(8, both.user().gid());
    }

    @Test
    void emptyArgsAndNonNumericUsersAreRefused() throws Exception {
        Spec spec = Fixtures.spec(Fixtures.runcSpec());
        assertThrows(ConfigException.class,
                () -> ContainerExec.fromConfig(spec.process(), request(List.of(), null, List.of(), List.of(), List.of())));
        ConfigException e = assertThrows(ConfigException.class, () -> ContainerExec.fromConfig(spec.process(),
                request(List.of("id"), "root", List.of(), List.of(), List.of())));
        assertTrue(e.getMessage().contains("--user"), e.getMessage());
    }
}
