package io.javarun.container;

import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static io.javarun.testing.Fixtures.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.process.Plan;
import io.javarun.spec.ProcessSpec;
import io.javarun.spec.Spec;
import io.javarun.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the SECCOMP op goes in create and exec plans: as late as runc puts it. */
class SeccompPlacementTest {
    @TempDir
    Path bundle;

    private Spec spec(boolean noNewPrivileges) throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        obj(doc, "process").put("terminal", false);
        obj(doc, "process").put("noNewPrivileges", noNewPrivileges);
        obj(doc, "linux").put("seccomp", map("defaultAction", "SCMP_ACT_ALLOW", "syscalls",
                list(map("names", list("mkdir"), "action", "SCMP_ACT_ERRNO"))));
        return Fixtures.spec(doc);
    }

    private Plan create(Spec spec) throws Exception {
        return CreatePlanner.plan(new CreatePlanner.Inputs("c1", spec, bundle, bundle.resolve("exec.fifo"), null,
                false, false, Map.of()));
    }

    private Plan exec(Spec spec, boolean noNewPrivs) throws Exception {
        ProcessSpec proc = ContainerExec.fromConfig(spec.process(), new ExecRequest("c1", List.of("true"), null, null,
                null, List.of(), false, null, List.of(), false, null, noNewPrivs, List.of(), 0, false, List.of()));
        return ExecPlanner.plan(spec.linux(), 4242, proc, bundle, null, Map.of());
    }

    private static List<String> names(Plan p) {
        return p.ops().stream().map(Plan.Op::name).toList();
    }

    @Test
    void withNoNewPrivsTheFilterLoadsRightBeforeTheExecFifo() throws Exception {
        List<String> n = names(create(spec(true)));
        int at = n.indexOf("SECCOMP");
        assertEquals(List.of("RESOLVE_EXEC", "SECCOMP", "READY", "WAIT_EXEC_FIFO", "EXEC"), n.subList(at - 1, n.size()));
        assertTrue(n.indexOf("NO_NEW_PRIVS") < at);
    }

    @Test
    void withoutItTheFilterLoadsWhileTheProcessStillHasCapSysAdmin() throws Exception {
        List<String> n = names(create(spec(false)));
        int at = n.indexOf("SECCOMP");
        assertEquals("CAP_BOUNDING", n.get(at + 1));
        assertTrue(n.lastIndexOf("RLIMIT") < at && n.indexOf("READY") > at);
        assertEquals(1, n.stream().filter("SECCOMP"::equals).count());
    }

    @Test
    void execProcessesGetTheContainersFilter() throws Exception {
        List<String> n = names(exec(spec(false), true));
        assertEquals(List.of("RESOLVE_EXEC", "SECCOMP", "EXEC"), n.subList(n.size() - 3, n.size()),
                "--no-new-privs: last");
        n = names(exec(spec(false), false));
        assertEquals("CAP_BOUNDING", n.get(n.indexOf("SECCOMP") + 1));
    }

    @Test
    void noSeccompNoOp() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        obj(doc, "process").put("terminal", false);
        assertEquals(-1, names(create(Fixtures.spec(doc))).indexOf("SECCOMP"));
    }
}
