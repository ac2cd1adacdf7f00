package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rest of a process's confinement: AppArmor and SELinux (refused where the host lacks the
 * LSM, as runc fails too), Intel RDT (refused), and, against javarun only (runc 1.1.5 ignores
 * them), linux.personality, process.ioPriority and process.scheduler as runc 1.2 applies them.
 */
class ConfinementTest extends ItBase {
    private static final boolean APPARMOR = Files.isDirectory(Path.of("/sys/kernel/security/apparmor"));
    private static final boolean SELINUX = Files.exists(Path.of("/sys/fs/selinux/enforce"));
    private static final boolean RESCTRL = Files.exists(Path.of("/sys/fs/resctrl/schemata"));
    /** cgroup v1 with RT group scheduling: a real-time policy needs a budget in the container's cgroup. */
    private static final boolean RT_GROUPS = Files.exists(Path.of("/sys/fs/cgroup/cpu/cpu.rt_runtime_us"));

    /** A create that must fail, leave nothing behind and, from javarun, name the container and the field. */
    private static Result refused(Harness h, Bundle b, String id, String runcSays, String... javarunSays) {
        Result r = h.create(b, id).failed();
        h.assertNothingLeft(id, b);
        if (h.rt().isJavarun()) {
            mentions(r, Pattern.quote(id));
            mentions(r, javarunSays);
        } else {
            mentions(r, runcSays);
        }
        return r;
    }

    private static void mentions(Result r, String... regexes) {
        for (String re : regexes) {
            assertTrue(Pattern.compile(re, Pattern.CASE_INSENSITIVE).matcher(r.stderr()).find(),
                    "the error should mention /" + re + "/: " + r);
        }
    }

    @BothRuntimes
    void anAppArmorProfileIsRefusedWithoutAppArmor(Kind kind) {
        assumeFalse(APPARMOR, "this host has AppArmor");
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("true");
        b.process().put("apparmorProfile", "javarun-test-profile");
        refused(h, b, h.newId("apparmor"), "apparmor", "config\\.json", "process\\.apparmorProfile",
                "AppArmor is not enabled on this host");
    }

    @BothRuntimes
    void anSELinuxLabelIsRefusedWithoutSELinux(Kind kind) {
        assumeFalse(SELINUX, "this host has SELinux");
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("true");
        b.process().put("selinuxLabel", "system_u:system_r:container_t:s0");
        refused(h, b, h.newId("selinux"), "selinux", "process\\.selinuxLabel", "SELinux is not enabled on this host");
    }

    /** runc 1.1.5 tries, and the first labelled mount fails; javarun refuses before anything is made. */
    @BothRuntimes
    void aMountLabelIsRefusedWithoutSELinux(Kind kind) {
        assumeFalse(SELINUX, "this host has SELinux");
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("true");
        b.linux().put("mountLabel", "system_u:object_r:container_file_t:s0");
        refused(h, b, h.newId("mountlabel"), "context=", "linux\\.mountLabel", "SELinux is not enabled on this host");
    }

    @BothRuntimes
    void execLabelsAreRefusedWithoutTheLsm(Kind kind) {
        assumeFalse(APPARMOR || SELINUX, "this host has an LSM");
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.running(b, "execlsm");
        Result a = h.exec("exec", "--apparmor", "javarun-test-profile", id, "true").failed();
        Result s = h.exec("exec", "--process-label", "system_u:system_r:container_t:s0", id, "true").failed();
        mentions(a, "apparmor");
        mentions(s, "selinux");
        if (h.rt().isJavarun()) {
            mentions(a, "--apparmor javarun-test-profile: AppArmor is not enabled on this host");
            mentions(s, "--process-label system_u:system_r:container_t:s0: SELinux is not enabled on this host");
        }
        assertEquals("running", h.status(id));
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void intelRdtIsRefusedWithoutResctrl(Kind kind) {
        assumeFalse(RESCTRL, "this host has resctrl mounted");
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("true");
        b.linux().putObject("intelRdt").put("l3CacheSchema", "L3:0=ff");
        refused(h, b, h.newId("rdt"), "Intel RDT", "linux\\.intelRdt", "resctrl is not mounted on this host");
    }

    @Test
    void updateIntelRdtFlagsAreRefused() {
        assumeFalse(RESCTRL, "this host has resctrl mounted");
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle();
        String id = h.running(b, "rdtupdate");
        Result r = h.exec("update", "--l3-cache-schema", "L3:0=f", id).failed();
        mentions(r, Pattern.quote(id), "--l3-cache-schema", "resctrl is not mounted on this host");
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    @Test
    void featuresTellWhetherTheHostHasTheLsms() {
        JsonNode linux = Json.parse(harness(Kind.JAVARUN).exec("features").ok().stdout()).get("linux");
        assertEquals(APPARMOR, linux.get("apparmor").get("enabled").asBoolean());
        assertEquals(SELINUX, linux.get("selinux").get("enabled").asBoolean());
        assertEquals(false, linux.get("intelRdt").get("enabled").asBoolean());
    }

    /** runc 1.2's personality: LINUX32 makes uname say i686, for exec processes too. */
    @Test
    void personalityLinux32() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle();
        b.linux().putObject("personality").put("domain", "LINUX32");
        assertEquals("i686\n", h.sh(b, "uname -m").ok().stdout());
        String id = h.running(b, "persona");
        assertEquals("i686\n", h.exec("exec", id, "uname", "-m").ok().stdout());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /** ioprio_set in the container process; exec processes get the config's too. */
    @Test
    void ioPriority() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle();
        b.process().putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 6);
        assertEquals("best-effort: prio 6\n", h.sh(b, "ionice").ok().stdout());
        b.process().putObject("ioPriority").put("class", "IOPRIO_CLASS_IDLE").put("priority", 0);
        String id = h.running(b, "ioprio");
        assertEquals("idle\n", h.exec("exec", id, "ionice", "-p", "1").ok().stdout());
        assertEquals("idle\n", h.exec("exec", id, "ionice").ok().stdout());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /** Fields 19 (nice) and 41 (policy) of /proc/self/stat, as the container's shell sees them. */
    private static final String NICE_AND_POLICY = "cut -d' ' -f19,41 /proc/self/stat";

    @Test
    void schedulerBatchAndIdle() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle();
        b.process().putObject("scheduler").put("policy", "SCHED_BATCH").put("nice", 7);
        assertEquals("7 3\n", h.sh(b, NICE_AND_POLICY).ok().stdout());
        // The kernel keeps nice for SCHED_OTHER and SCHED_BATCH only.
        b.process().putObject("scheduler").put("policy", "SCHED_IDLE").put("nice", -4);
        String id = h.running(b, "schedidle");
        assertEquals("0 5\n", h.exec("exec", id, "sh", "-c", NICE_AND_POLICY).ok().stdout());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /**
     * SCHED_FIFO where the kernel allows it: with RT group scheduling, only with a real-time
     * budget for the container's cgroup (fields 40 and 41: rt_priority and policy).
     */
    @Test
    void schedulerFifoWhereTheKernelAllowsIt() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle();
        b.process().putObject("scheduler").put("policy", "SCHED_FIFO").put("priority", 10);
        if (RT_GROUPS) {
            String id = h.newId("fifonobudget");
            refused(h, b, id, "", "process\\.scheduler \\(SCHED_FIFO, priority 10\\)", "operation not permitted",
                    "realtimeRuntime");
            b.linux().withObjectProperty("resources").putObject("cpu").put("realtimeRuntime", 10000)
                    .put("realtimePeriod", 1000000);
        }
        assertEquals("10 1\n", h.sh(b, "cut -d' ' -f40,41 /proc/self/stat").ok().stdout());
    }

    /** What the kernel refuses fails create with the field named, and nothing is left. */
    @Test
    void aSchedulerTheKernelRefusesFailsCreate() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle().args("true");
        b.process().putObject("scheduler").put("policy", "SCHED_FIFO").put("priority", 0);
        refused(h, b, h.newId("fifo0"), "", "set process\\.scheduler \\(SCHED_FIFO, priority 0\\): invalid argument");
    }

    /** Names and ranges are checked before anything is created. */
    @Test
    void badValuesAreRefusedBeforeAnythingIsCreated() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle().args("true");
        ObjectNode io = b.process().putObject("ioPriority").put("class", "IOPRIO_CLASS_FAST").put("priority", 0);
        refused(h, b, h.newId("badioclass"), "", "process\\.ioPriority\\.class", "IOPRIO_CLASS_FAST");
        io.put("class", "IOPRIO_CLASS_BE").put("priority", 8);
        refused(h, b, h.newId("badioprio"), "", "process\\.ioPriority\\.priority", "0 to 7");
        b.process().remove("ioPriority");
        b.process().putObject("scheduler").put("policy", "SCHED_TURBO");
        refused(h, b, h.newId("badpolicy"), "", "process\\.scheduler\\.policy", "SCHED_TURBO");
        b.process().putObject("scheduler").put("policy", "SCHED_BATCH").put("priority", 3);
        refused(h, b, h.newId("badschedprio"), "", "process\\.scheduler\\.priority", "SCHED_FIFO or SCHED_RR");
        b.process().remove("scheduler");
        b.linux().putObject("personality").put("domain", "LINUX64");
        refused(h, b, h.newId("badpersona"), "", "linux\\.personality\\.domain", "LINUX64");
    }
}
