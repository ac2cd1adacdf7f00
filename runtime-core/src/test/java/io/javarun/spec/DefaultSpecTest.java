package io.javarun.spec;

import static io.javarun.testing.Fixtures.arr;
import static io.javarun.testing.Fixtures.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.json.Json;
import io.javarun.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultSpecTest {

    /** What `javarun spec` writes: the map as tab-indented JSON, then read back as config.json. */
    private static Spec written(boolean rootless, long uid, long gid) throws Exception {
        return SpecParser.parse(Json.writeIndented(DefaultSpec.create("1.2.0", rootless, uid, gid, true), "\t"));
    }

    private static List<NamespaceType> types(Spec s) {
        return s.linux().namespaces().stream().map(LinuxSpec.Namespace::type).toList();
    }

    @Test
    void masksTimerListAndAddsNoFuseDevice() throws Exception {
        Spec s = written(false, 0, 0);
        assertTrue(s.linux().maskedPaths().contains("/proc/timer_list"));
        assertTrue(s.linux().devices().stream().noneMatch(d -> d.path().equals("/dev/fuse")));
        assertTrue(s.mounts().stream().noneMatch(m -> m.destination().equals("/dev/fuse")));
    }

    @Test
    void isInteractiveAsRuncSpecIs() throws Exception {
        Spec s = written(false, 0, 0);
        assertTrue(s.process().terminal());
        assertEquals(List.of("sh"), s.process().args());
        assertEquals("1.2.0", s.ociVersion());
    }

    @Test
    void rootlessVariantMapsTheCallerIntoANewUserNamespaceWithoutNetwork() throws Exception {
        Spec s = written(true, 1000, 1001);
        assertTrue(s.linux().createsNew(NamespaceType.USER));
        assertNull(s.linux().namespace(NamespaceType.NETWORK));
        assertEquals(List.of(new LinuxSpec.IdMapping(0, 1000, 1)), s.linux().uidMappings());
        assertEquals(List.of(new LinuxSpec.IdMapping(0, 1001, 1)), s.linux().gidMappings());
        // runc's ToRootless: no cgroup resources, /sys bind-mounted, no gid= mount options.
        assertEquals(List.of(), s.linux().deviceRules());
        Mount sys = s.mounts().stream().filter(m -> m.destination().equals("/sys")).findFirst().orElseThrow();
        assertTrue(sys.isBind());
        assertEquals("/sys", sys.source());
        assertTrue(s.mounts().stream().flatMap(m -> m.options().stream()).noneMatch(o -> o.startsWith("gid=")));
    }

    @Test
    void defaultVariantHasANetworkNamespaceAndNoUserNamespace() throws Exception {
        Spec s = written(false, 1000, 1000);
        assertTrue(s.linux().createsNew(NamespaceType.NETWORK));
        assertNull(s.linux().namespace(NamespaceType.USER));
        assertEquals(List.of(), s.linux().uidMappings());
        assertFalse(s.mounts().get(5).isBind());
    }

    @Test
    void bothVariantsPassValidation(@TempDir Path bundle) throws Exception {
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        assertEquals(List.of(), SpecValidator.validate(written(false, 0, 0), rootfs));
        assertEquals(List.of(), SpecValidator.validate(written(true, 1000, 1000), rootfs));
    }

    @Test
    void matchesRuncSpecOnACgroupV2HostFieldForField() throws Exception {
        // runc's Example() adds a cgroup namespace on cgroup v2 hosts; the fixture was made on v1.
        Map<String, Object> runc = Fixtures.runcSpec();
        arr(runc, "linux", "namespaces").add(map("type", "cgroup"));
        assertEquals(Json.writeIndented(runc, "\t"),
                Json.writeIndented(DefaultSpec.create("1.0.2-dev", false, 0, 0, true), "\t"));
        assertEquals(List.of(NamespaceType.PID, NamespaceType.NETWORK, NamespaceType.IPC, NamespaceType.UTS,
                NamespaceType.MOUNT, NamespaceType.CGROUP), types(written(false, 0, 0)));
    }

    // Regression (found by this test, since fixed): DefaultSpec.create() writes the rootless /sys mount
    // without a type (mount("/sys", null, "/sys", ...)), where runc's ToRootless writes "type": "none",
    // so `javarun spec --rootless` is not runc's output field for field as its javadoc says.
    @Test
    @SuppressWarnings("unchecked")
    void rootlessMatchesRuncSpecRootlessOnACgroupV2HostFieldForField() throws Exception {
        Map<String, Object> runc = (Map<String, Object>) Json.parse(Fixtures.runcRootlessSpecText());
        // On v2: Example() appends cgroup, ToRootless then re-appends user at the end.
        List<Object> ns = arr(runc, "linux", "namespaces");
        ns.add(ns.size() - 1, map("type", "cgroup"));
        assertEquals(Json.writeIndented(runc, "\t"),
                Json.writeIndented(DefaultSpec.create("1.0.2-dev", true, 0, 0, true), "\t"));
    }

    @Test
    void matchesRuncSpecOnACgroupV1HostExactly() throws Exception {
        // The fixtures are runc 1.1.5's own output on this project's cgroup v1 hosts.
        assertEquals(Json.writeIndented(Fixtures.runcSpec(), "\t"),
                Json.writeIndented(DefaultSpec.create("1.0.2-dev", false, 0, 0, false), "\t"));
        assertEquals(Fixtures.runcRootlessSpecText().trim(),
                Json.writeIndented(DefaultSpec.create("1.0.2-dev", true, 0, 0, false), "\t").trim());
    }
}
