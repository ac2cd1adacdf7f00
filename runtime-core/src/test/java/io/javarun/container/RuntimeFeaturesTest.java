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
        assertEquals(false, ((Map<String, Object>) linux.get("seccomp")).get("enabled"));
        Map<String, Object> cgroup = (Map<String, Object>) linux.get("cgroup");
        assertEquals(true, cgroup.get("v1"));
        assertEquals(true, cgroup.get("v2"));
        assertEquals(false, cgroup.get("systemd"));
    }
}
