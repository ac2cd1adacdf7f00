package io.javarun.container;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.mount.MountOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeFeaturesTest {

    @Test
    @SuppressWarnings("unchecked")
    void listsOnlyWhatJavarunAccepts() {
        Map<String, Object> f = RuntimeFeatures.describe();
        assertEquals("1.0.0", f.get("ociVersionMin"));
        assertEquals(RuntimeVersion.SPEC, f.get("ociVersionMax"));
        List<Object> options = (List<Object>) f.get("mountOptions");
        for (Object o : options) {
            assertDoesNotThrow(() -> MountOptions.parse(List.of((String) o)), "listed but refused: " + o);
        }
        assertTrue(options.contains("rbind") && options.contains("rslave") && options.contains("nosuid"));
        assertFalse(options.contains("tmpcopyup"), "refused by create, so not listed");
        assertEquals(List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart",
                "poststop"), f.get("hooks"));
        Map<String, Object> linux = (Map<String, Object>) f.get("linux");
        assertEquals(List.of("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"), linux.get("namespaces"));
        Map<String, Object> seccomp = (Map<String, Object>) linux.get("seccomp");
        assertEquals(true, seccomp.get("enabled"));
        assertEquals(List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"),
                seccomp.get("actions"), "runc 1.1.5's list");
        assertEquals(List.of("SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"), seccomp.get("operators"));
        assertTrue(((List<Object>) seccomp.get("archs")).containsAll(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86",
                "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_RISCV64")));
        assertEquals(List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), seccomp.get("knownFlags"));
        Map<String, Object> cgroup = (Map<String, Object>) linux.get("cgroup");
        assertEquals(true, cgroup.get("v1"));
        assertEquals(true, cgroup.get("v2"));
        assertEquals(false, cgroup.get("systemd"));
    }
}
