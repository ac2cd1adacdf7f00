package io.javarun.seccomp;

import static io.javarun.seccomp.SeccompProfiles.dockerLike;
import static io.javarun.seccomp.SeccompProfiles.syscall;
import static io.javarun.seccomp.SeccompProfiles.validate;
import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.spec.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeccompValidatorTest {

    @Test
    void aDockerLikeProfileIsFine() throws Exception {
        assertEquals(List.of(), validate(dockerLike()));
    }

    @Test
    void everyActionOperatorArchAndFlagOfTheSpecIsKnown() throws Exception {
        for (String action : List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
                "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG")) {
            Map<String, Object> s = dockerLike();
            s.put("defaultAction", action);
            validate(s);
        }
        Map<String, Object> s = dockerLike();
        List<Object> args = list();
        for (String op : List.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE",
                "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ")) {
            args.add(map("index", (long) args.size() % 6, "value", 1L, "op", op));
        }
        syscall(s, 0).put("args", args);
        s.put("architectures", list("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
                "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
                "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
                "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64"));
        s.put("flags", list("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"));
        assertEquals(List.of(), validate(s));
    }

    @Test
    void unknownActionsAreRefusedWithTheField() {
        Map<String, Object> s = dockerLike();
        s.put("defaultAction", "SCMP_ACT_BOGUS");
        assertRefused(s, "config.json: linux.seccomp.defaultAction: unknown action \"SCMP_ACT_BOGUS\" (known: SCMP_ACT_KILL,");
        Map<String, Object> t = dockerLike();
        syscall(t, 1).put("action", "ALLOW");
        assertRefused(t, "config.json: linux.seccomp.syscalls[1].action: unknown action \"ALLOW\"");
        Map<String, Object> u = dockerLike();
        u.remove("defaultAction");
        assertRefused(u, "config.json: linux.seccomp.defaultAction: is required");
    }

    @Test
    void unknownOperatorsArchitecturesAndFlagsAreRefused() {
        Map<String, Object> s = dockerLike();
        syscall(s, 1).put("args", list(map("index", 0L, "value", 1L, "op", "SCMP_CMP_BOGUS")));
        assertRefused(s, "config.json: linux.seccomp.syscalls[1].args[0].op: unknown operator \"SCMP_CMP_BOGUS\""
                + " (known: SCMP_CMP_NE, SCMP_CMP_LT,");
        Map<String, Object> t = dockerLike();
        t.put("architectures", list("SCMP_ARCH_X86_64", "SCMP_ARCH_Z80"));
        assertRefused(t, "config.json: linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_Z80\"");
        Map<String, Object> u = dockerLike();
        u.put("flags", list("SECCOMP_FILTER_FLAG_BOGUS"));
        assertRefused(u, "config.json: linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_BOGUS\"");
    }

    @Test
    void argumentIndexesStopAtFive() throws Exception {
        Map<String, Object> s = dockerLike();
        syscall(s, 1).put("args", list(map("index", 5L, "value", 1L, "op", "SCMP_CMP_EQ")));
        validate(s);
        syscall(s, 1).put("args", list(map("index", 6L, "value", 1L, "op", "SCMP_CMP_EQ")));
        assertRefused(s, "config.json: linux.seccomp.syscalls[1].args[0].index: must be 0 to 5");
    }

    @Test
    void notifyNeedsAnAbsoluteListenerAndNeverCoversWrite() throws Exception {
        Map<String, Object> s = dockerLike();
        syscall(s, 2).put("action", "SCMP_ACT_NOTIFY");
        assertRefused(s, "config.json: linux.seccomp.listenerPath: is required");
        s.put("listenerPath", "agent.sock");
        assertRefused(s, "config.json: linux.seccomp.listenerPath: must be an absolute path");
        s.put("listenerPath", "/run/" + "x".repeat(120));
        assertRefused(s, "config.json: linux.seccomp.listenerPath: longer than a unix socket path");
        s.put("listenerPath", "/run/agent.sock");
        validate(s);
        syscall(s, 2).put("names", list("mkdir", "write"));
        assertRefused(s, "config.json: linux.seccomp.syscalls[2].names[1]: SCMP_ACT_NOTIFY cannot be used for write");
        Map<String, Object> t = dockerLike();
        t.put("defaultAction", "SCMP_ACT_NOTIFY");
        t.put("listenerPath", "/run/agent.sock");
        assertRefused(t, "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
    }

    @Test
    void waitKillableRecvNeedsAListener() throws Exception {
        Map<String, Object> s = dockerLike();
        s.put("flags", list("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
        assertRefused(s, "config.json: linux.seccomp.flags[0]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs a syscall"
                + " with SCMP_ACT_NOTIFY");
        syscall(s, 2).put("action", "SCMP_ACT_NOTIFY");
        s.put("listenerPath", "/run/agent.sock");
        validate(s);
    }

    @Test
    void emptyNamesAreRefused() {
        Map<String, Object> s = dockerLike();
        syscall(s, 0).put("names", list("read", ""));
        assertRefused(s, "config.json: linux.seccomp.syscalls[0].names[1]: must not be empty");
    }

    @Test
    void settingsWithoutEffectWarn() throws Exception {
        Map<String, Object> s = dockerLike();
        s.put("defaultAction", "SCMP_ACT_KILL");
        syscall(s, 0).put("errnoRet", 5L);
        assertEquals(List.of("linux.seccomp.defaultErrnoRet: ignored, SCMP_ACT_KILL returns no errno",
                "linux.seccomp.syscalls[0].errnoRet: ignored, SCMP_ACT_ALLOW returns no errno"), validate(s));
        assertEquals(List.of("linux.seccomp: no defaultAction and no syscalls: no filter is loaded"),
                validate(map("architectures", list("SCMP_ARCH_X86"))));
        assertEquals(List.of(), validate(map()));
    }

    private static void assertRefused(Map<String, Object> seccomp, String messageStart) {
        ConfigException e = assertThrows(ConfigException.class, () -> validate(seccomp));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }
}
