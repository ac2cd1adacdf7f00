package io.javarun.spec;

import static io.javarun.testing.Fixtures.addNamespace;
import static io.javarun.testing.Fixtures.arr;
import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static io.javarun.testing.Fixtures.obj;
import static io.javarun.testing.Fixtures.removeNamespace;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {
    @TempDir
    Path bundle;

    Path rootfs;
    Map<String, Object> doc;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        doc = Fixtures.runcSpec();
    }

    private List<String> validate() throws ConfigException {
        return SpecValidator.validate(Fixtures.spec(doc), rootfs);
    }

    private String refused() {
        return assertThrows(ConfigException.class, this::validate).getMessage();
    }

    private void addMount(String destination) {
        arr(doc, "mounts").add(map("destination", destination, "type", "tmpfs", "source", "tmpfs"));
    }

    @Test
    void runcDefaultAndRootlessConfigsAreValid() throws Exception {
        assertEquals(List.of(), validate());
        assertEquals(List.of(), SpecValidator.validate(SpecParser.parse(Fixtures.runcRootlessSpecText()), rootfs));
    }

    @Test
    void missingRootfsIsRefused() {
        rootfs = bundle.resolve("no-such-rootfs");
        String m = refused();
        assertTrue(m.startsWith("config.json: root.path: rootfs "), m);
        assertTrue(m.contains("no-such-rootfs"), m);
    }

    @Test
    void rootfsThatIsAFileIsRefused() throws IOException {
        rootfs = Files.writeString(bundle.resolve("rootfs.img"), "x");
        assertTrue(refused().startsWith("config.json: root.path: "));
    }

    @Test
    void missingProcessIsRefused() {
        doc.remove("process");
        assertEquals("config.json: process: is required", refused());
    }

    @Test
    void destinationEscapingThroughASymlinkIsRefused() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("escape"), Path.of("../../../../tmp"));
        addMount("/escape/data");
        String m = refused();
        assertTrue(m.startsWith("config.json: mounts[7].destination: "), m);
        assertTrue(m.contains("leaves the rootfs"), m);
    }

    @Test
    void absoluteSymlinksInsideTheRootfsAreAccepted() throws Exception {
        // Debian/Ubuntu images: /var/run -> /run. Inside the container it points at the rootfs's /run.
        Files.createDirectories(rootfs.resolve("var"));
        Files.createDirectories(rootfs.resolve("run"));
        Files.createSymbolicLink(rootfs.resolve("var/run"), Path.of("/run"));
        addMount("/var/run/secrets");
        assertEquals(List.of(), validate());
    }

    @Test
    void relativeSymlinksThatStayInsideAreAccepted() throws Exception {
        Files.createDirectories(rootfs.resolve("usr/lib"));
        Files.createSymbolicLink(rootfs.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(rootfs.resolve("usr/lib64"), Path.of("../lib"));
        addMount("/usr/lib64/modules");
        assertEquals(List.of(), validate());
    }

    // Relative destinations are deprecated by runtime-spec 1.2 ("MAY be a relative path ...
    // relative to /") and runc only warns; javarun refuses them before anything is created, as
    // its issue asks: a relative destination is almost always a mistake in a hand-written config.
    @Test
    void relativeMountDestinationIsRefused() {
        addMount("data");
        assertEquals("config.json: mounts[7].destination: must be an absolute path, got \"data\"", refused());
    }

    @Test
    void mountWithoutTypeThatIsNotABindIsRefused() {
        arr(doc, "mounts").add(map("destination", "/data", "source", "tmpfs"));
        assertEquals("config.json: mounts[7].type: is required for a mount that is not a bind mount", refused());
    }

    @Test
    void absoluteBindSourceIsAccepted() throws Exception {
        arr(doc, "mounts").add(map("destination", "/data", "type", "none", "source", "/srv/data", "options",
                list("rbind", "ro")));
        assertEquals(List.of(), validate());
    }

    // Regression (found by this test, since fixed): SpecValidator.check() refuses a bind mount whose
    // source is relative ("a bind mount needs an absolute source path"). runtime-spec config.md,
    // Mounts, source: "Path values for bind mounts are either absolute or relative to the bundle." runc
    // joins them to the bundle directory (specconv.createLibcontainerMount: filepath.Join(cwd,
    // m.Source)).
    @Test
    void relativeBindSourceIsRelativeToTheBundle() throws Exception {
        arr(doc, "mounts").add(map("destination", "/data", "type", "bind", "source", "data", "options",
                list("rbind")));
        assertDoesNotThrow(this::validate);
    }

    @Test
    void newUserNamespaceNeedsMappings() {
        addNamespace(doc, "user");
        assertEquals("config.json: linux.uidMappings: a new user namespace needs uid mappings", refused());
        obj(doc, "linux").put("uidMappings", list(map("containerID", 0L, "hostID", 100000L, "size", 65536L)));
        assertEquals("config.json: linux.gidMappings: a new user namespace needs gid mappings", refused());
        obj(doc, "linux").put("gidMappings", list(map("containerID", 0L, "hostID", 100000L, "size", 65536L)));
        assertDoesNotThrow(this::validate);
    }

    @Test
    void mappingsWithoutAUserNamespaceAreRefused() {
        obj(doc, "linux").put("uidMappings", list(map("containerID", 0L, "hostID", 1000L, "size", 1L)));
        assertEquals("config.json: linux.uidMappings: set, but the config creates no user namespace", refused());
    }

    @Test
    void hostnameNeedsAUtsNamespace() {
        removeNamespace(doc, "uts");
        assertEquals("config.json: hostname: setting the hostname needs a new uts namespace", refused());
        doc.put("hostname", "");
        assertDoesNotThrow(this::validate);
        doc.put("domainname", "example.org");
        assertEquals("config.json: domainname: setting the domainname needs a new uts namespace", refused());
    }

    @Test
    void networkSysctlsNeedANetworkNamespace() {
        obj(doc, "linux").put("sysctl", map("net.ipv4.ip_forward", "1"));
        assertDoesNotThrow(this::validate);
        removeNamespace(doc, "network");
        String m = refused();
        assertTrue(m.startsWith("config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: "), m);
        assertTrue(m.contains("network namespace"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel.shmmax", "kernel.msgmax", "kernel.sem", "kernel.shm_rmid_forced", "fs.mqueue.queues_max"})
    void ipcSysctlsNeedAnIpcNamespace(String key) {
        obj(doc, "linux").put("sysctl", map(key, "100"));
        assertDoesNotThrow(this::validate);
        removeNamespace(doc, "ipc");
        String m = refused();
        assertTrue(m.startsWith("config.json: linux.sysctl[\"" + key + "\"]: "), m);
        assertTrue(m.contains("ipc namespace"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs.file-max", "kernel.pid_max", "vm.overcommit_memory", "kernel.core_pattern"})
    void hostWideSysctlsAreRefusedWhateverTheNamespaces(String key) {
        obj(doc, "linux").put("sysctl", map(key, "1"));
        String m = refused();
        assertTrue(m.startsWith("config.json: linux.sysctl[\"" + key + "\"]: "), m);
        assertTrue(m.contains("would change the host"), m);
    }

    @Test
    void duplicateNamespacesAreRefused() {
        addNamespace(doc, "pid");
        assertEquals("config.json: linux.namespaces[5]: duplicate namespace \"pid\"", refused());
    }

    @Test
    void joinedNamespacePathMustExist() throws IOException {
        arr(doc, "linux", "namespaces").set(1, map("type", "network", "path", bundle.resolve("no-netns").toString()));
        assertTrue(refused().startsWith("config.json: linux.namespaces[1].path: "));
        Path fakeNs = Files.writeString(bundle.resolve("netns"), "");
        arr(doc, "linux", "namespaces").set(1, map("type", "network", "path", fakeNs.toString()));
        assertDoesNotThrow(this::validate);
        arr(doc, "linux", "namespaces").set(1, map("type", "network", "path", "netns"));
        assertEquals("config.json: linux.namespaces[1].path: must be an absolute path", refused());
    }

    @Test
    void cwdMustBeAbsolute() {
        obj(doc, "process").put("cwd", "home/user");
        assertEquals("config.json: process.cwd: must be an absolute path, got \"home/user\"", refused());
    }

    @Test
    void argsMustNotBeEmpty() {
        obj(doc, "process").put("args", list());
        assertEquals("config.json: process.args: must not be empty", refused());
    }

    @Test
    void envEntriesMustBeNameValue() {
        obj(doc, "process").put("env", list("PATH=/bin", "=oops"));
        assertEquals("config.json: process.env: \"=oops\" is not of the form NAME=value", refused());
    }

    @Test
    void softRlimitAboveHardIsRefused() {
        arr(doc, "process", "rlimits").set(0, map("type", "RLIMIT_NOFILE", "hard", 1024L, "soft", 4096L));
        assertEquals("config.json: process.rlimits[0]: RLIMIT_NOFILE: soft limit 4096 is above the hard limit 1024",
                refused());
    }

    @Test
    void rlimInfinityComparesAsTheLargestValue() throws Exception {
        String unlimitedHard = io.javarun.json.Json.write(doc).replace("\"hard\":1024,\"soft\":1024",
                "\"hard\":18446744073709551615,\"soft\":1048576");
        assertDoesNotThrow(() -> SpecValidator.validate(SpecParser.parse(unlimitedHard), rootfs));
        String unlimitedSoft = io.javarun.json.Json.write(doc).replace("\"hard\":1024,\"soft\":1024",
                "\"hard\":1024,\"soft\":18446744073709551615");
        ConfigException e = assertThrows(ConfigException.class,
                () -> SpecValidator.validate(SpecParser.parse(unlimitedSoft), rootfs));
        assertEquals("config.json: process.rlimits[0]: RLIMIT_NOFILE: soft limit 18446744073709551615 is above the"
                + " hard limit 1024", e.getMessage());
    }

    @Test
    void unknownRlimitIsRefused() {
        arr(doc, "process", "rlimits").add(map("type", "RLIMIT_BOGUS", "hard", 1L, "soft", 1L));
        assertEquals("config.json: process.rlimits[1].type: unknown rlimit \"RLIMIT_BOGUS\"", refused());
    }

    @Test
    void everyLinuxRlimitIsKnown() {
        for (String r : List.of("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
                "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
                "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME")) {
            arr(doc, "process", "rlimits").add(map("type", r, "hard", 1L, "soft", 1L));
        }
        assertDoesNotThrow(this::validate);
    }

    @Test
    void unknownCapabilityIsOnlyAWarning() throws Exception {
        // runc ignores unknown capabilities with a warning rather than failing.
        arr(doc, "process", "capabilities", "bounding").add("CAP_BOGUS");
        List<String> warnings = validate();
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("CAP_BOGUS"), warnings.get(0));
    }

    @Test
    void devicePathMustBeUnderDev() {
        obj(doc, "linux").put("devices", list(map("path", "/tmp/null", "type", "c", "major", 1L, "minor", 3L)));
        assertEquals("config.json: linux.devices[0].path: must be an absolute path under /dev, got \"/tmp/null\"", refused());
        obj(doc, "linux").put("devices", list(map("path", "/dev/fuse", "type", "c", "major", 10L, "minor", 229L)));
        assertDoesNotThrow(this::validate);
    }

    // Regression (found by this test, since fixed): SpecValidator.devices() checks
    // d.path().startsWith("/dev/") on the raw string, so "/dev/../etc/shadow" passes the "under /dev"
    // rule and the helper's MKNOD then creates the node at /etc/shadow in the rootfs.
    @Test
    void devicePathCannotLeaveDevThroughDotDot() {
        obj(doc, "linux").put("devices", list(map("path", "/dev/../etc/shadow", "type", "c", "major", 1L, "minor", 3L)));
        assertThrows(ConfigException.class, this::validate);
    }

    @Test
    void deviceTypeMustBeKnown() {
        obj(doc, "linux").put("devices", list(map("path", "/dev/x", "type", "z", "major", 1L, "minor", 3L)));
        assertEquals("config.json: linux.devices[0].type: must be one of c, b, u, p, got \"z\"", refused());
    }

    @Test
    void deviceRuleAccessMustBeRwm() {
        arr(doc, "linux", "resources", "devices").add(map("allow", true, "type", "c", "access", "rwx"));
        assertEquals("config.json: linux.resources.devices[1].access: must be made of r, w and m, got \"rwx\"", refused());
    }

    @Test
    void maskedAndReadonlyPathsMustBeAbsolute() {
        arr(doc, "linux", "maskedPaths").add("proc/kcore");
        assertEquals("config.json: linux.maskedPaths[10]: must be an absolute path, got \"proc/kcore\"", refused());
    }

    @Test
    void rootfsPropagationMustBeKnown() {
        obj(doc, "linux").put("rootfsPropagation", "rslave");
        assertDoesNotThrow(this::validate);
        obj(doc, "linux").put("rootfsPropagation", "sideways");
        assertEquals("config.json: linux.rootfsPropagation: unknown propagation \"sideways\"", refused());
    }

    @Test
    void timeOffsetsNeedATimeNamespace() {
        obj(doc, "linux").put("timeOffsets", map("monotonic", map("secs", 10L, "nanosecs", 0L)));
        assertEquals("config.json: linux.timeOffsets: time offsets need a new time namespace", refused());
        addNamespace(doc, "time");
        assertDoesNotThrow(this::validate);
    }

    @Test
    void everyHookKindIsAcceptedAndPathsMustBeAbsolute() throws Exception {
        for (String kind : List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart",
                "poststop")) {
            doc.put("hooks", map(kind, list(map("path", "/bin/true"))));
            assertDoesNotThrow(this::validate, kind);
            doc.put("hooks", map(kind, list(map("path", "bin/true"))));
            assertEquals("config.json: hooks: hook path must be absolute, got \"bin/true\"", refused(), kind);
        }
    }
}
