package io.javarun.seccomp;

import static io.javarun.seccomp.SeccompProfiles.dockerLike;
import static io.javarun.seccomp.SeccompProfiles.parse;
import static io.javarun.seccomp.SeccompProfiles.syscall;
import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.process.Plan;
import io.javarun.process.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeccompPlannerTest {
    // SECCOMP_RET_* (linux/seccomp.h), AUDIT_ARCH_* (linux/audit.h).
    static final String ERRNO_EPERM = "50001";
    static final String ERRNO_ENOSYS = "50026";
    static final String ALLOW = "7fff0000";
    static final String NOTIFY = "7fc00000";

    private static Plan.Op op(Map<String, Object> seccomp) throws Exception {
        Plan plan = new Plan();
        SeccompPlanner.plan(plan, parse(seccomp));
        assertEquals(1, plan.ops().size(), plan.ops().toString());
        return plan.op(0);
    }

    /** The rules of a SECCOMP op, one list of fields each (name action ncond conditions...). */
    private static List<List<String>> rules(Plan.Op op) {
        List<String> f = op.fields();
        List<List<String>> out = new ArrayList<>();
        int i = 5;
        while (i < f.size()) {
            int n = 3 + 4 * Integer.parseInt(f.get(i + 2));
            out.add(f.subList(i, i + n));
            i += n;
        }
        assertEquals(f.size(), i, "the rules fill the op exactly");
        return out;
    }

    @Test
    void encodesTheDefaultFlagsArchsAndOneRulePerName() throws Exception {
        Plan.Op op = op(dockerLike());
        assertEquals(SeccompPlanner.OP, op.name());
        assertEquals("load the seccomp filter (7 rules)", op.step());
        assertEquals(List.of(ERRNO_EPERM, "4", "c000003e,40000003,4000003e", "0", "1"), op.fields().subList(0, 5),
                "ERRNO(EPERM) by default; no flags given means SPEC_ALLOW, as runc 1.2; the ENOSYS stub");
        assertEquals(List.of(
                List.of("read", ALLOW, "0"), List.of("write", ALLOW, "0"), List.of("openat", ALLOW, "0"),
                List.of("close", ALLOW, "0"), List.of("execve", ALLOW, "0"),
                List.of("personality", ALLOW, "1", "0", "4", "ffffffff", "0")), rules(op).subList(0, 6));
    }

    @Test
    void aRuleWithTheDefaultActionIsLeftOut() throws Exception {
        Map<String, Object> s = dockerLike();
        // clone3 returns ENOSYS, not the default's EPERM: kept. An ERRNO rule without errnoRet is
        // the default's EPERM: left out, as runc does (libseccomp would refuse it).
        syscall(s, 0).put("action", "SCMP_ACT_ERRNO");
        List<List<String>> rules = rules(op(s));
        // Their names still count for the ENOSYS stub's highest syscall ("-": no rule).
        assertEquals(List.of(List.of("read", "-", "0"), List.of("write", "-", "0"), List.of("openat", "-", "0"),
                List.of("close", "-", "0"), List.of("execve", "-", "0"),
                List.of("personality", ALLOW, "1", "0", "4", "ffffffff", "0"),
                List.of("clone3", ERRNO_ENOSYS, "0")), rules);
        assertEquals("load the seccomp filter (2 rules)", op(s).step());
        syscall(s, 2).put("errnoRet", 1L);
        assertEquals(List.of(ALLOW, "-"), List.of(rules(op(s)).get(5).get(1), rules(op(s)).get(6).get(1)),
                "ERRNO(1) is the default too");
    }

    @Test
    void anArgumentComparedTwiceMakesOneRulePerComparison() throws Exception {
        Map<String, Object> s = map("defaultAction", "SCMP_ACT_ALLOW", "syscalls", list(
                map("names", list("personality"), "action", "SCMP_ACT_ERRNO", "args", list(
                        map("index", 0L, "value", 8L, "op", "SCMP_CMP_EQ"),
                        map("index", 0L, "value", 0x20008L, "op", "SCMP_CMP_EQ"))),
                map("names", list("socket"), "action", "SCMP_ACT_ERRNO", "errnoRet", 97L, "args", list(
                        map("index", 0L, "value", 16L, "op", "SCMP_CMP_EQ"),
                        map("index", 2L, "value", 0xffL, "valueTwo", 9L, "op", "SCMP_CMP_MASKED_EQ")))));
        assertEquals(List.of(
                List.of("personality", ERRNO_EPERM, "1", "0", "4", "8", "0"),
                List.of("personality", ERRNO_EPERM, "1", "0", "4", "20008", "0"),
                List.of("socket", "50061", "2", "0", "4", "10", "0", "2", "7", "ff", "9")), rules(op(s)));
    }

    @Test
    void theEnosysStubIsForRefusingDefaultsAndListedArchitectures() throws Exception {
        Map<String, Object> s = dockerLike();
        for (String refusing : List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO")) {
            s.put("defaultAction", refusing);
            assertEquals("1", op(s).fields().get(4), refusing);
        }
        for (String permissive : List.of("SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE")) {
            s.put("defaultAction", permissive);
            assertEquals("0", op(s).fields().get(4), permissive);
        }
        s.put("defaultAction", "SCMP_ACT_ERRNO");
        s.put("defaultErrnoRet", 38L);
        assertEquals("0", op(s).fields().get(4), "ENOSYS already");
        s.remove("defaultErrnoRet");
        s.remove("architectures");
        assertEquals("0", op(s).fields().get(4), "runc: only for the architectures listed");
    }

    @Test
    void flags() throws Exception {
        Map<String, Object> s = dockerLike();
        s.put("flags", list());
        assertEquals("0", op(s).fields().get(1), "an empty list: no flags, not even SPEC_ALLOW");
        s.put("flags", list("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG"));
        assertEquals("2", op(s).fields().get(1), "TSYNC means nothing for a single thread, as in runc");
        syscall(s, 2).put("action", "SCMP_ACT_NOTIFY");
        s.put("listenerPath", "/run/agent.sock");
        s.put("flags", list("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
        Plan.Op op = op(s);
        assertEquals("28", op.fields().get(1), "WAIT_KILLABLE_RECV | NEW_LISTENER for a NOTIFY rule");
        assertEquals(List.of("clone3", NOTIFY, "0"), rules(op).get(6));
    }

    @Test
    void manyRulesUseLibseccompsBinaryTree() throws Exception {
        Map<String, Object> s = map("defaultAction", "SCMP_ACT_ERRNO", "syscalls", list(map("names", list(), "action",
                "SCMP_ACT_ALLOW")));
        @SuppressWarnings("unchecked")
        List<Object> names = (List<Object>) syscall(s, 0).get("names");
        for (int i = 0; i < 32; i++) {
            names.add("s" + i);
        }
        assertEquals("0", op(s).fields().get(3), "32 rules: a plain list, as runc 1.2");
        names.add("s32");
        assertEquals("2", op(s).fields().get(3));
    }

    @Test
    void noFilterNoOp() throws Exception {
        Plan plan = new Plan();
        SeccompPlanner.plan(plan, parse(map()));
        SeccompPlanner.plan(plan, null);
        assertEquals(0, plan.ops().size());
    }

    @Test
    void theOpSurvivesTheWire() throws Exception {
        Plan.Op op = op(dockerLike());
        List<String> back = Record.decode(Record.encode(op.record()));
        assertEquals(op.record(), back);
        assertTrue(back.size() > 4);
    }
}
