package io.javarun.spec;

import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static io.javarun.testing.Fixtures.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.linux.HostSecurity;
import io.javarun.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and validation of the LSM labels, personality, I/O priority, scheduler and Intel RDT. */
class ConfinementValidationTest {
    private static final HostSecurity NONE = new HostSecurity(false, false, false);
    private static final HostSecurity ALL = new HostSecurity(true, true, true);

    @TempDir
    Path bundle;

    Path rootfs;
    Map<String, Object> doc;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        doc = Fixtures.runcSpec();
    }

    private List<String> validate(HostSecurity host) throws ConfigException {
        return SpecValidator.validate(Fixtures.spec(doc), rootfs, host);
    }

    private String refused(HostSecurity host) {
        return assertThrows(ConfigException.class, () -> validate(host)).getMessage();
    }

    private Map<String, Object> process() {
        return obj(doc, "process");
    }

    private Map<String, Object> linux() {
        return obj(doc, "linux");
    }

    @Test
    void fieldsAreReadIntoTheModel() throws Exception {
        process().put("apparmorProfile", "docker-default");
        process().put("selinuxLabel", "system_u:system_r:container_t:s0");
        process().put("ioPriority", map("class", "IOPRIO_CLASS_BE", "priority", 4L));
        process().put("scheduler", map("policy", "SCHED_DEADLINE", "nice", -3L, "flags", list("SCHED_FLAG_RESET_ON_FORK"),
                "runtime", 42000L, "deadline", 100000L, "period", 1000000L));
        linux().put("mountLabel", "system_u:object_r:container_file_t:s0");
        linux().put("personality", map("domain", "LINUX32"));
        Spec s = Fixtures.spec(doc);
        ProcessSpec p = s.process();
        assertEquals("docker-default", p.apparmorProfile());
        assertEquals("system_u:system_r:container_t:s0", p.selinuxLabel());
        assertEquals(new ProcessSpec.IoPriority("IOPRIO_CLASS_BE", 4), p.ioPriority());
        assertEquals(new ProcessSpec.Scheduler("SCHED_DEADLINE", -3, 0, List.of("SCHED_FLAG_RESET_ON_FORK"), 42000,
                100000, 1000000), p.scheduler());
        assertEquals("system_u:object_r:container_file_t:s0", s.linux().mountLabel());
        assertEquals(new LinuxSpec.Personality("LINUX32", List.of()), s.linux().personality());
        assertTrue(p.confined() && s.linux().confined());
        assertEquals(List.of(), SpecValidator.validate(s, rootfs, ALL));
    }

    @Test
    void aPlainConfigIsNotConfinedFurther() throws Exception {
        Spec s = Fixtures.spec(doc);
        assertEquals(false, s.process().confined());
        assertEquals(false, s.linux().confined());
        assertEquals("", s.process().apparmorProfile());
        // No host is consulted: a null host would be probed, NONE would refuse.
        assertEquals(List.of(), validate(NONE));
    }

    @Test
    void labelsAreRefusedOnAHostWithoutTheLsmAndAcceptedWithIt() throws Exception {
        process().put("apparmorProfile", "docker-default");
        assertEquals("config.json: process.apparmorProfile: AppArmor is not enabled on this host: the profile"
                + " \"docker-default\" cannot be applied, and javarun does not run a container less confined than asked",
                refused(NONE));
        assertEquals(List.of(), validate(new HostSecurity(true, false, false)));
        process().remove("apparmorProfile");
        process().put("selinuxLabel", "system_u:system_r:container_t:s0");
        assertTrue(refused(new HostSecurity(true, false, false)).startsWith(
                "config.json: process.selinuxLabel: SELinux is not enabled on this host"));
        assertEquals(List.of(), validate(new HostSecurity(false, true, false)));
        process().remove("selinuxLabel");
        linux().put("mountLabel", "system_u:object_r:container_file_t:s0");
        assertTrue(refused(NONE).startsWith("config.json: linux.mountLabel: SELinux is not enabled on this host"));
        assertEquals(List.of(), validate(new HostSecurity(false, true, false)));
    }

    @Test
    void theProcessValidatorAppliesTheSameRules() {
        ProcessSpec p = new ProcessSpec(false, new ProcessSpec.User(0, 0, null, List.of()), List.of("true"), List.of(),
                "/", null, List.of(), false, null, "docker-default", "", null, null);
        assertThrows(ConfigException.class, () -> SpecValidator.validateProcess(p, NONE));
    }

    @Test
    void ioPriorityClassAndRange() throws Exception {
        process().put("ioPriority", map("class", "IOPRIO_CLASS_NONE", "priority", 0L));
        assertEquals("config.json: process.ioPriority.class: unknown class \"IOPRIO_CLASS_NONE\" (IOPRIO_CLASS_RT,"
                + " IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)", refused(NONE));
        process().put("ioPriority", map("class", "IOPRIO_CLASS_RT", "priority", 8L));
        assertEquals("config.json: process.ioPriority.priority: 8 is out of range (0 to 7)", refused(NONE));
        process().put("ioPriority", map("class", "IOPRIO_CLASS_IDLE", "priority", -1L));
        assertEquals("config.json: process.ioPriority.priority: -1 is out of range (0 to 7)", refused(NONE));
        process().put("ioPriority", map("priority", 1L));
        assertThrows(ConfigException.class, () -> Fixtures.spec(doc), "class is required");
        process().put("ioPriority", map("class", "IOPRIO_CLASS_IDLE", "priority", 7L));
        assertEquals(List.of(), validate(NONE));
    }

    @Test
    void schedulerFieldsAsRuncValidatesThem() throws Exception {
        String[][] cases = {
            {"{}", "config.json: process.scheduler.policy: is required"},
            {"{\"policy\": \"SCHED_FAST\"}", "config.json: process.scheduler.policy: unknown policy \"SCHED_FAST\""},
            {"{\"policy\": \"SCHED_OTHER\", \"nice\": 20}", "config.json: process.scheduler.nice: 20 is out of range (-20 to 19)"},
            {"{\"policy\": \"SCHED_BATCH\", \"priority\": 5}",
                "config.json: process.scheduler.priority: can only be set for SCHED_FIFO or SCHED_RR"},
            {"{\"policy\": \"SCHED_RR\", \"period\": 5}",
                "config.json: process.scheduler: runtime, deadline and period can only be set for SCHED_DEADLINE"},
            {"{\"policy\": \"SCHED_IDLE\", \"flags\": [\"SCHED_FLAG_RECLAIM\", \"SCHED_FLAG_TURBO\"]}",
                "config.json: process.scheduler.flags[1]: unknown flag \"SCHED_FLAG_TURBO\""},
        };
        for (String[] c : cases) {
            process().put("scheduler", io.javarun.json.Json.parse(c[0]));
            assertEquals(c[1], refused(NONE), c[0]);
        }
        process().put("scheduler", map("policy", "SCHED_FIFO", "priority", 50L, "nice", -20L));
        assertEquals(List.of(), validate(NONE));
    }

    @Test
    void personalityDomainAndFlags() throws Exception {
        linux().put("personality", map("domain", "LINUX64"));
        assertEquals("config.json: linux.personality.domain: unknown domain \"LINUX64\" (LINUX or LINUX32)", refused(NONE));
        linux().put("personality", map());
        assertEquals("config.json: linux.personality.domain: unknown domain \"\" (LINUX or LINUX32)", refused(NONE));
        // runc 1.2 warns and ignores flags: the spec defines none.
        linux().put("personality", map("domain", "LINUX", "flags", list("ADDR_NO_RANDOMIZE")));
        assertEquals(List.of("linux.personality.flags: [ADDR_NO_RANDOMIZE] ignored: the runtime spec defines no"
                + " personality flags"), validate(NONE));
    }

    @Test
    void intelRdtIsRefusedWithTheReason() throws Exception {
        linux().put("intelRdt", map("closID", "guaranteed_group"));
        assertEquals("config.json: linux.intelRdt: Intel RDT: resctrl is not mounted on this host", refused(NONE));
        assertEquals("config.json: linux.intelRdt: Intel RDT is not supported yet", refused(ALL));
        linux().put("intelRdt", map());
        assertEquals(List.of(), validate(NONE));
        linux().put("intelRdt", "x");
        assertThrows(ConfigException.class, () -> Fixtures.spec(doc));
    }
}
