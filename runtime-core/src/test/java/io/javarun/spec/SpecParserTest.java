package io.javarun.spec;

import static io.javarun.testing.Fixtures.arr;
import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static io.javarun.testing.Fixtures.obj;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecParserTest {
    private static final List<String> RUNC_CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    @Test
    void runcDefaultConfigParsesIntoTheRightRecords() throws Exception {
        Spec s = SpecParser.parse(Fixtures.runcSpecText());
        assertEquals("1.0.2-dev", s.ociVersion());

        ProcessSpec p = s.process();
        assertTrue(p.terminal());
        assertEquals(new ProcessSpec.User(0, 0, null, List.of()), p.user());
        assertEquals(List.of("sh"), p.args());
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"), p.env());
        assertEquals("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", p.pathVariable());
        assertEquals("/", p.cwd());
        assertEquals(new ProcessSpec.Capabilities(RUNC_CAPS, RUNC_CAPS, List.of(), RUNC_CAPS, RUNC_CAPS), p.capabilities());
        assertEquals(List.of(new ProcessSpec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), p.rlimits());
        assertTrue(p.noNewPrivileges());
        assertNull(p.oomScoreAdj());

        assertEquals(new Root("rootfs", true), s.root());
        assertEquals("runc", s.hostname());
        assertEquals("", s.domainname());
        assertEquals(Hooks.NONE, s.hooks());
        assertEquals(Map.of(), s.annotations());

        assertEquals(7, s.mounts().size());
        assertEquals(new Mount("/proc", "proc", "proc", List.of()), s.mounts().get(0));
        assertEquals(new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                s.mounts().get(1));
        assertEquals(new Mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")), s.mounts().get(2));
        assertEquals(new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")),
                s.mounts().get(6));
        assertFalse(s.mounts().get(1).isBind());

        LinuxSpec l = s.linux();
        assertEquals(List.of(
                new LinuxSpec.Namespace(NamespaceType.PID, null),
                new LinuxSpec.Namespace(NamespaceType.NETWORK, null),
                new LinuxSpec.Namespace(NamespaceType.IPC, null),
                new LinuxSpec.Namespace(NamespaceType.UTS, null),
                new LinuxSpec.Namespace(NamespaceType.MOUNT, null)), l.namespaces());
        assertTrue(l.createsNew(NamespaceType.NETWORK));
        assertFalse(l.createsNew(NamespaceType.USER));
        assertNull(l.namespace(NamespaceType.CGROUP));
        // {"allow": false, "access": "rwm"}: type defaults to "a" (all), major/minor to any.
        assertEquals(List.of(new LinuxSpec.DeviceRule(false, "a", null, null, "rwm")), l.deviceRules());
        assertEquals(List.of(), l.devices());
        assertEquals(List.of(), l.uidMappings());
        assertEquals(Map.of(), l.sysctl());
        assertEquals("", l.cgroupsPath());
        assertEquals("", l.rootfsPropagation());
        assertEquals(10, l.maskedPaths().size());
        assertTrue(l.maskedPaths().contains("/proc/timer_list"));
        assertEquals(List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"), l.readonlyPaths());
    }

    @Test
    void rootlessConfigParsesItsMappings() throws Exception {
        Spec s = SpecParser.parse(Fixtures.runcRootlessSpecText());
        assertEquals(List.of(new LinuxSpec.IdMapping(0, 0, 1)), s.linux().uidMappings());
        assertEquals(List.of(new LinuxSpec.IdMapping(0, 0, 1)), s.linux().gidMappings());
        assertTrue(s.linux().createsNew(NamespaceType.USER));
        assertNull(s.linux().namespace(NamespaceType.NETWORK));
        Mount sys = s.mounts().get(5);
        assertEquals(new Mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")), sys);
        assertTrue(sys.isBind());
        assertEquals(List.of(), s.linux().deviceRules());
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("{\"process\":{\"args\":\"sh\"}}",
                        "config.json: process.args: expected an array of strings, got string"),
                Arguments.of("{\"process\":{\"args\":[\"sh\",1]}}",
                        "config.json: process.args[1]: expected a string, got number"),
                Arguments.of("{\"process\":{\"terminal\":\"yes\"}}",
                        "config.json: process.terminal: expected a boolean, got string"),
                Arguments.of("{\"process\":{\"user\":{\"uid\":\"0\"}}}",
                        "config.json: process.user.uid: expected an integer, got string"),
                Arguments.of("{\"process\":{\"user\":{\"uid\":4294967296}}}",
                        "config.json: process.user.uid: value 4294967296 out of range [0, 4294967295]"),
                Arguments.of("{\"process\":{\"user\":{\"additionalGids\":[1,\"2\"]}}}",
                        "config.json: process.user.additionalGids[1]: expected an integer, got string"),
                Arguments.of("{\"process\":{\"oomScoreAdj\":1001}}",
                        "config.json: process.oomScoreAdj: value 1001 out of range [-1000, 1000]"),
                Arguments.of("{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":-1,\"soft\":0}]}}",
                        "config.json: process.rlimits[0].hard: value -1 must not be negative"),
                Arguments.of("{\"process\":{\"rlimits\":[{\"hard\":1,\"soft\":1}]}}",
                        "config.json: process.rlimits[0].type: is required"),
                Arguments.of("{\"process\":[]}", "config.json: process: expected an object, got array"),
                Arguments.of("{\"root\":{\"path\":1}}", "config.json: root.path: expected a string, got number"),
                Arguments.of("{\"root\":{}}", "config.json: root.path: is required"),
                Arguments.of("{\"mounts\":[{\"destination\":\"/a\",\"type\":\"tmpfs\"},{\"type\":\"tmpfs\"}]}",
                        "config.json: mounts[1].destination: is required"),
                Arguments.of("{\"mounts\":[{\"destination\":\"/a\",\"options\":\"ro\"}]}",
                        "config.json: mounts[0].options: expected an array of strings, got string"),
                Arguments.of("{\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":-1,\"size\":1}]}}",
                        "config.json: linux.uidMappings[0].hostID: value -1 out of range [0, 4294967295]"),
                Arguments.of("{\"linux\":{\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":\"10\"}]}}",
                        "config.json: linux.devices[0].major: expected an integer, got string"),
                Arguments.of("{\"linux\":{\"namespaces\":{\"type\":\"pid\"}}}",
                        "config.json: linux.namespaces: expected an array, got object"),
                Arguments.of("{\"linux\":{\"sysctl\":{\"net.ipv4.ip_forward\":1}}}",
                        "config.json: linux.sysctl.net.ipv4.ip_forward: expected a string, got number"),
                Arguments.of("{\"annotations\":{\"a\":1}}", "config.json: annotations.a: expected a string, got number"),
                Arguments.of("{\"hooks\":{\"prestart\":[{\"path\":\"/bin/true\",\"timeout\":0}]}}",
                        "config.json: hooks.prestart[0].timeout: value 0 out of range [1, 2147483647]"),
                Arguments.of("[]", "config.json: (top level): expected an object"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("wrongTypes")
    void wrongTypesNameTheField(String json, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> SpecParser.parse(json));
        assertEquals(message, e.getMessage());
    }

    @Test
    void invalidJsonSaysWhere() {
        ConfigException e = assertThrows(ConfigException.class, () -> SpecParser.parse("{\n\"ociVersion\": \"1.0.2\",,\n}"));
        assertEquals("config.json: invalid JSON: expected a string key at line 2, column 23", e.getMessage());
    }

    @Test
    void unknownNamespaceTypeIsRefused() {
        Map<String, Object> doc = Fixtures.runcSpec();
        arr(doc, "linux", "namespaces").add(map("type", "bogus"));
        ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.spec(doc));
        assertEquals("config.json: linux.namespaces[5].type: unknown namespace type \"bogus\"", e.getMessage());
    }

    @Test
    void namespacePathsAreKept() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        arr(doc, "linux", "namespaces").set(1, map("type", "network", "path", "/var/run/netns/blue"));
        LinuxSpec l = Fixtures.spec(doc).linux();
        assertEquals(new LinuxSpec.Namespace(NamespaceType.NETWORK, "/var/run/netns/blue"), l.namespace(NamespaceType.NETWORK));
        assertFalse(l.createsNew(NamespaceType.NETWORK));
    }

    @Test
    void unknownFieldsAreIgnoredAsRuncDoes() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        doc.put("x-vendor", map("anything", list(1L, 2L)));
        obj(doc, "process").put("futureField", true);
        obj(doc, "linux").put("futureLinuxField", "x");
        assertEquals("runc", Fixtures.spec(doc).hostname());
    }

    static Stream<Arguments> notSupportedYet() {
        return Stream.of(
                Arguments.of("process", "execCPUAffinity", map("initial", "0"), "process.execCPUAffinity"),
                Arguments.of("linux", "memoryPolicy", map("mode", "MPOL_BIND"), "linux.memoryPolicy"),
                Arguments.of("linux", "netDevices", map("eth1", map()), "linux.netDevices"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("notSupportedYet")
    void settingsNotImplementedYetAreRefusedByName(String parent, String key, Object value, String field) {
        Map<String, Object> doc = Fixtures.runcSpec();
        obj(doc, parent).put(key, value);
        ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.spec(doc));
        assertEquals("config.json: " + field + ": not supported yet", e.getMessage());
    }

    @Test
    void emptyValuesOfUnsupportedSettingsAreAccepted() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        obj(doc, "process").put("apparmorProfile", "");
        obj(doc, "process").put("selinuxLabel", null);
        obj(doc, "linux").put("seccomp", null);
        obj(doc, "linux").put("netDevices", map());
        Map<String, Object> resources = obj(doc, "linux", "resources");
        resources.put("memory", map());
        resources.put("cpu", null);
        resources.put("hugepageLimits", list());
        Spec s = Fixtures.spec(doc);
        assertEquals(1, s.linux().deviceRules().size());
    }

    @Test
    void deviceRulesKeepTheirFields() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        arr(doc, "linux", "resources", "devices").add(
                map("allow", true, "type", "c", "major", 10L, "minor", 229L, "access", "rw"));
        arr(doc, "linux", "resources", "devices").add(map("allow", true, "type", "b", "major", 8L, "access", "r"));
        List<LinuxSpec.DeviceRule> rules = Fixtures.spec(doc).linux().deviceRules();
        assertEquals(List.of(new LinuxSpec.DeviceRule(false, "a", null, null, "rwm"),
                new LinuxSpec.DeviceRule(true, "c", 10L, 229L, "rw"),
                new LinuxSpec.DeviceRule(true, "b", 8L, null, "r")), rules);
    }

    @Test
    void idMappedMountsAreRefusedByName() {
        Map<String, Object> doc = Fixtures.runcSpec();
        arr(doc, "mounts").add(map("destination", "/data", "type", "bind", "source", "/srv/data",
                "options", list("rbind"), "uidMappings", list(map("containerID", 0L, "hostID", 1000L, "size", 1L))));
        ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.spec(doc));
        assertEquals("config.json: mounts[7].uidMappings: not supported yet", e.getMessage());
    }

    @Test
    void hooksAreReadInEveryPhase() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        doc.put("hooks", map(
                "prestart", list(map("path", "/usr/bin/netns-hook", "args", list("netns-hook", "prestart"),
                        "env", list("A=1"), "timeout", 5L)),
                "createRuntime", list(map("path", "/bin/true")),
                "poststart", list(map("path", "/bin/echo", "args", list("echo", "started"))),
                "poststop", list(map("path", "/bin/rm"), map("path", "/bin/sync"))));
        Hooks h = Fixtures.spec(doc).hooks();
        assertEquals(List.of(new Hooks.Hook("/usr/bin/netns-hook", List.of("netns-hook", "prestart"), List.of("A=1"), 5)),
                h.prestart());
        assertEquals(List.of(new Hooks.Hook("/bin/true", List.of(), List.of(), null)), h.createRuntime());
        assertEquals(List.of(), h.createContainer());
        assertEquals(List.of(), h.startContainer());
        assertEquals("started", h.poststart().get(0).args().get(1));
        assertEquals(List.of("/bin/rm", "/bin/sync"), h.poststop().stream().map(Hooks.Hook::path).toList());
    }

    @Test
    void rlimitsAcceptRlimInfinity() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        String text = io.javarun.json.Json.write(doc).replace(
                "{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}",
                "{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551615,\"soft\":18446744073709551615},"
                        + "{\"type\":\"RLIMIT_NOFILE\",\"hard\":18446744073709551615,\"soft\":1048576}");
        List<ProcessSpec.Rlimit> r = SpecParser.parse(text).process().rlimits();
        assertEquals(2, r.size());
        assertEquals("RLIMIT_CORE", r.get(0).type());
        assertEquals("18446744073709551615", Long.toUnsignedString(r.get(0).hard()));
        assertEquals("18446744073709551615", Long.toUnsignedString(r.get(0).soft()));
        assertEquals("18446744073709551615", Long.toUnsignedString(r.get(1).hard()));
        assertEquals(1048576L, r.get(1).soft());
    }

    @Test
    void rlimitsAboveUint64AreRefused() {
        String text = io.javarun.json.Json.write(Fixtures.runcSpec()).replace("\"hard\":1024", "\"hard\":18446744073709551616");
        ConfigException e = assertThrows(ConfigException.class, () -> SpecParser.parse(text));
        assertEquals("config.json: process.rlimits[0].hard: value 18446744073709551616 out of range for an unsigned"
                + " 64-bit integer", e.getMessage());
    }

    @Test
    void aConfigWithoutProcessParses() {
        // process is OPTIONAL in the runtime spec (only required by start); the validator decides.
        assertDoesNotThrow(() -> SpecParser.parse("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"}}"));
    }
}
