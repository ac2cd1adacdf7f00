package io.javarun.seccomp;

import static io.javarun.seccomp.SeccompProfiles.dockerLike;
import static io.javarun.seccomp.SeccompProfiles.parse;
import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.spec.ConfigException;
import io.javarun.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeccompParserTest {

    @Test
    void readsEveryField() throws Exception {
        Map<String, Object> s = dockerLike();
        s.put("flags", list("SECCOMP_FILTER_FLAG_LOG"));
        s.put("listenerPath", "/run/agent.sock");
        s.put("listenerMetadata", "meta");
        SeccompProfile p = parse(s);
        assertEquals("SCMP_ACT_ERRNO", p.defaultAction());
        assertEquals(1L, p.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), p.architectures());
        assertEquals(List.of("SECCOMP_FILTER_FLAG_LOG"), p.flags());
        assertEquals("/run/agent.sock", p.listenerPath());
        assertEquals("meta", p.listenerMetadata());
        assertEquals(3, p.syscalls().size());
        SeccompProfile.Syscall personality = p.syscalls().get(1);
        assertEquals(List.of("personality"), personality.names());
        assertEquals(1, personality.args().size());
        SeccompProfile.Arg a = personality.args().get(0);
        assertEquals(0, a.index());
        assertEquals(0xffffffffL, a.value());
        assertEquals(0, a.valueTwo());
        assertEquals("SCMP_CMP_EQ", a.op());
        assertEquals(38L, p.syscalls().get(2).errnoRet());
        assertNull(p.syscalls().get(0).errnoRet());
        assertTrue(p.enabled());
        assertFalse(p.usesNotify());
    }

    @Test
    void absentFlagsAreNotAnEmptyList() throws Exception {
        assertNull(parse(dockerLike()).flags(), "absent: runc 1.2's default (SPEC_ALLOW) applies");
        Map<String, Object> s = dockerLike();
        s.put("flags", list());
        assertEquals(List.of(), parse(s).flags(), "empty: no flags at all");
    }

    @Test
    void noSeccompAndAnEmptyOne() throws Exception {
        assertNull(Fixtures.spec(Fixtures.runcSpec()).linux().seccomp());
        assertFalse(parse(map()).enabled(), "runc: no default action and no syscalls, no filter");
        assertTrue(parse(map("syscalls", list(map("names", list("x"), "action", "SCMP_ACT_ALLOW")))).enabled());
    }

    @Test
    void valuesAreUnsigned64() throws Exception {
        Map<String, Object> s = map("defaultAction", "SCMP_ACT_ALLOW", "syscalls", list(map("names", list("ioctl"),
                "action", "SCMP_ACT_ERRNO", "args", list(map("index", 1L, "value", new java.math.BigInteger("18446744073709551615"),
                        "valueTwo", 7L, "op", "SCMP_CMP_MASKED_EQ")))));
        SeccompProfile.Arg a = parse(s).syscalls().get(0).args().get(0);
        assertEquals(-1L, a.value(), "2^64-1 in a long's bits");
        assertEquals(7L, a.valueTwo());
    }

    @Test
    void wrongTypesAndRangesNameTheField() {
        assertRefused(map("defaultAction", 1L), "config.json: linux.seccomp.defaultAction: expected a string");
        assertRefused(map("defaultAction", "SCMP_ACT_ALLOW", "architectures", "SCMP_ARCH_X86"),
                "config.json: linux.seccomp.architectures: expected an array of strings");
        assertRefused(map("defaultAction", "SCMP_ACT_ERRNO", "defaultErrnoRet", 70000L),
                "config.json: linux.seccomp.defaultErrnoRet: value 70000 out of range [0, 65535]");
        assertRefused(map("defaultAction", "SCMP_ACT_ALLOW", "syscalls", list(map("names", list("x")))),
                "config.json: linux.seccomp.syscalls[0].action: is required");
        assertRefused(map("defaultAction", "SCMP_ACT_ALLOW", "syscalls", list(map("names", list("x"),
                "action", "SCMP_ACT_ERRNO", "args", list(map("index", -1L, "op", "SCMP_CMP_EQ"))))),
                "config.json: linux.seccomp.syscalls[0].args[0].index: value -1 out of range");
        assertRefused(map("defaultAction", "SCMP_ACT_ALLOW", "syscalls", list(map("names", list("x"),
                "action", "SCMP_ACT_ERRNO", "args", list(map("index", 0L))))),
                "config.json: linux.seccomp.syscalls[0].args[0].op: is required");
        assertRefused(map("defaultAction", "SCMP_ACT_ALLOW", "syscalls", list(map("names", list("x"),
                "action", "SCMP_ACT_ERRNO", "args", list(map("index", 0L, "value", -5L, "op", "SCMP_CMP_EQ"))))),
                "config.json: linux.seccomp.syscalls[0].args[0].value: value -5 must not be negative");
    }

    private static void assertRefused(Map<String, Object> seccomp, String messageStart) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(seccomp));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }
}
