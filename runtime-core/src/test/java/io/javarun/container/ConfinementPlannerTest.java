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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the confinement ops go in create's and exec's plans, and what they carry. */
class ConfinementPlannerTest {
    @TempDir
    Path dir;

    Path rootfs;
    Map<String, Object> doc;

    @BeforeEach
    void setUp() throws Exception {
        rootfs = Files.createDirectories(dir.resolve("rootfs"));
        doc = Fixtures.runcSpec();
        obj(doc, "process").put("terminal", false);
    }

    private Plan create() throws Exception {
        Spec spec = Fixtures.spec(doc);
        return CreatePlanner.plan(new CreatePlanner.Inputs("c1", spec, rootfs, dir.resolve("exec.fifo"), null, false,
                false, Map.of()));
    }

    private Plan exec(String apparmor, String label) throws Exception {
        Spec spec = Fixtures.spec(doc);
        ExecRequest r = new ExecRequest("c1", List.of("true"), null, null, null, List.of(), false, null, List.of(), false,
                null, false, List.of(), 0, false, List.of()).withLabels(apparmor, label);
        return ExecPlanner.plan(spec.linux(), 4242, ContainerExec.fromConfig(spec.process(), r), rootfs, null, Map.of());
    }

    private static List<String> names(Plan p) {
        List<String> out = new ArrayList<>();
        for (Plan.Op op : p.ops()) {
            out.add(op.name());
        }
        return out;
    }

    private static Plan.Op op(Plan p, String name) {
        int i = names(p).indexOf(name);
        assertTrue(i >= 0, "no " + name + " in " + names(p));
        return p.ops().get(i);
    }

    private void confineEverything() {
        obj(doc, "process").put("apparmorProfile", "docker-default");
        obj(doc, "process").put("selinuxLabel", "system_u:system_r:container_t:s0");
        obj(doc, "process").put("ioPriority", map("class", "IOPRIO_CLASS_IDLE", "priority", 5L));
        obj(doc, "process").put("scheduler", map("policy", "SCHED_DEADLINE", "flags",
                list("SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM"), "runtime", 42000L, "deadline", 100000L,
                "period", 1000000L));
        obj(doc, "linux").put("personality", map("domain", "LINUX32"));
    }

    @Test
    void aPlainConfigHasNoConfinementOps() throws Exception {
        List<String> n = names(create());
        for (String op : List.of("IOPRIO", "SCHEDULER", "PERSONALITY", "SELINUX", "APPARMOR")) {
            assertTrue(!n.contains(op), op + " in " + n);
        }
    }

    @Test
    void createAppliesThemAsRootBeforeSeccompAndTheCredentials() throws Exception {
        confineEverything();
        obj(doc, "linux").put("seccomp", map("defaultAction", "SCMP_ACT_ALLOW"));
        Plan p = create();
        List<String> n = names(p);
        assertEquals(List.of("3", "5"), op(p, "IOPRIO").fields());
        assertEquals(List.of("6", "3", "0", "0", "42000", "100000", "1000000"), op(p, "SCHEDULER").fields());
        assertEquals(List.of("8"), op(p, "PERSONALITY").fields());
        assertEquals(List.of("system_u:system_r:container_t:s0"), op(p, "SELINUX").fields());
        assertEquals(List.of("docker-default"), op(p, "APPARMOR").fields());
        int last = n.indexOf("APPARMOR");
        assertEquals(List.of("IOPRIO", "SCHEDULER", "PERSONALITY", "SELINUX", "APPARMOR"), n.subList(last - 4, last + 1));
        assertTrue(n.indexOf("PIVOT_ROOT") < n.indexOf("IOPRIO"), "after the pivot: the container's /proc");
        assertTrue(last < n.indexOf("SECCOMP") && last < n.indexOf("CAP_BOUNDING") && last < n.indexOf("USER"),
                "before any filter and while still root: " + n);
        assertEquals("set process.scheduler (SCHED_DEADLINE, runtime 42000 deadline 100000 period 1000000,"
                + " SCHED_FLAG_RESET_ON_FORK, SCHED_FLAG_RECLAIM)", op(p, "SCHEDULER").step());
        assertEquals("set process.ioPriority (IOPRIO_CLASS_IDLE, priority 5)", op(p, "IOPRIO").step());
    }

    @Test
    void aRealTimeStepSaysWhatItNeeds() throws Exception {
        obj(doc, "process").put("scheduler", map("policy", "SCHED_FIFO", "priority", 10L, "nice", -5L));
        Plan.Op s = op(create(), "SCHEDULER");
        assertEquals(List.of("1", "0", "-5", "10", "0", "0", "0"), s.fields());
        assertTrue(s.step().startsWith("set process.scheduler (SCHED_FIFO, nice -5, priority 10) (a real-time policy"
                + " needs CAP_SYS_NICE"), s.step());
    }

    @Test
    void execInheritsTheConfigsSettingsAndTheFlagsReplaceTheLabels() throws Exception {
        confineEverything();
        Plan p = exec(null, null);
        assertEquals(List.of("docker-default"), op(p, "APPARMOR").fields());
        assertEquals(List.of("8"), op(p, "PERSONALITY").fields(), "as runc 1.2: exec processes get the personality");
        assertEquals(List.of("3", "5"), op(p, "IOPRIO").fields());
        assertTrue(names(p).indexOf("APPARMOR") < names(p).indexOf("USER"));
    }

    @Test
    void mountLabelIsAddedToTheDataOfTheMountsRuncLabels() throws Exception {
        obj(doc, "linux").put("mountLabel", "system_u:object_r:container_file_t:s0");
        Plan p = create();
        Map<String, String> data = new java.util.HashMap<>();
        for (Plan.Op op : p.ops()) {
            if (op.name().equals("MOUNT")) {
                data.put(op.fields().get(1), op.fields().get(4));
            }
        }
        String ctx = "context=\"system_u:object_r:container_file_t:s0\"";
        assertEquals("mode=755,size=65536k," + ctx, data.get("/dev"));
        assertEquals("newinstance,ptmxmode=0666,mode=0620,gid=5," + ctx, data.get("/dev/pts"));
        assertEquals("", data.get("/proc"), "proc keeps the kernel's labels");
        assertEquals("", data.get("/sys"), "sysfs too");
        assertEquals("", data.get("/dev/mqueue"), "mqueue takes no context option: labelled once mounted");
        List<String> n = names(p);
        int label = n.indexOf("FILE_LABEL");
        assertEquals(List.of("/dev/mqueue", "system_u:object_r:container_file_t:s0"), p.ops().get(label).fields());
        assertEquals("/dev/mqueue", p.ops().get(label - 1).fields().get(1), "right after its mount");
    }
}
