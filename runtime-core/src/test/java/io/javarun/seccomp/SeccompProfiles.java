package io.javarun.seccomp;

import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static io.javarun.testing.Fixtures.obj;

import io.javarun.spec.ConfigException;
import io.javarun.testing.Fixtures;
import java.util.List;
import java.util.Map;

/** linux.seccomp documents for the tests, read through the real config.json parser. */
final class SeccompProfiles {
    private SeccompProfiles() {}

    /** Docker's shape in small: ERRNO by default, an allow list, one rule with an argument. */
    static Map<String, Object> dockerLike() {
        return map(
                "defaultAction", "SCMP_ACT_ERRNO",
                "defaultErrnoRet", 1L,
                "architectures", list("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                "syscalls", list(
                        map("names", list("read", "write", "openat", "close", "execve"), "action", "SCMP_ACT_ALLOW"),
                        map("names", list("personality"), "action", "SCMP_ACT_ALLOW",
                                "args", list(map("index", 0L, "value", 0xffffffffL, "op", "SCMP_CMP_EQ"))),
                        map("names", list("clone3"), "action", "SCMP_ACT_ERRNO", "errnoRet", 38L)));
    }

    /** The profile of a config.json whose linux.seccomp is {@code seccomp}. */
    static SeccompProfile parse(Map<String, Object> seccomp) throws ConfigException {
        Map<String, Object> doc = Fixtures.runcSpec();
        obj(doc, "linux").put("seccomp", seccomp);
        return Fixtures.spec(doc).linux().seccomp();
    }

    /** Validates, returning the warnings. */
    static List<String> validate(Map<String, Object> seccomp) throws ConfigException {
        List<String> warnings = new java.util.ArrayList<>();
        SeccompValidator.validate(parse(seccomp), warnings);
        return warnings;
    }

    /** The first syscalls[] entry of a profile. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> syscall(Map<String, Object> seccomp, int i) {
        return (Map<String, Object>) ((List<Object>) seccomp.get("syscalls")).get(i);
    }
}
