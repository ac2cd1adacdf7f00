package io.javarun.spec;

import io.javarun.linux.HostSecurity;
import io.javarun.process.ConfinementNames;
import java.util.List;

/**
 * The rules of the confinement settings: the LSM labels only where the host has that LSM (a
 * label that cannot be applied is refused, never skipped), names the spec defines, and
 * runc 1.2's rules between the scheduler's fields. Intel RDT is refused with the reason.
 */
final class ConfinementValidator {
    private HostSecurity host;
    private final List<String> warnings;

    /** @param host the host's LSMs, or null to probe this host when a label asks */
    ConfinementValidator(HostSecurity host, List<String> warnings) {
        this.host = host;
        this.warnings = warnings;
    }

    private HostSecurity host() {
        if (host == null) {
            host = HostSecurity.probe();
        }
        return host;
    }

    void process(ProcessSpec p) throws ConfigException {
        if (!p.apparmorProfile().isEmpty() && !host().appArmor()) {
            throw ConfigException.field("process.apparmorProfile", "AppArmor is not enabled on this host: the profile \""
                    + p.apparmorProfile() + "\" cannot be applied, and javarun does not run a container less confined"
                    + " than asked");
        }
        if (!p.selinuxLabel().isEmpty() && !host().selinux()) {
            throw ConfigException.field("process.selinuxLabel", "SELinux is not enabled on this host: the label \""
                    + p.selinuxLabel() + "\" cannot be applied");
        }
        ProcessSpec.IoPriority io = p.ioPriority();
        if (io != null) {
            if (ConfinementNames.ioprioClass(io.ioClass()) < 0) {
                throw ConfigException.field("process.ioPriority.class", "unknown class \"" + io.ioClass()
                        + "\" (IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)");
            }
            if (io.priority() < 0 || io.priority() > 7) {
                throw ConfigException.field("process.ioPriority.priority", io.priority() + " is out of range (0 to 7)");
            }
        }
        if (p.scheduler() != null) {
            scheduler(p.scheduler());
        }
    }

    private static void scheduler(ProcessSpec.Scheduler s) throws ConfigException {
        if (s.policy().isEmpty()) {
            throw ConfigException.field("process.scheduler.policy", "is required");
        }
        if (ConfinementNames.schedPolicy(s.policy()) < 0) {
            throw ConfigException.field("process.scheduler.policy", "unknown policy \"" + s.policy() + "\"");
        }
        if (s.nice() < -20 || s.nice() > 19) {
            throw ConfigException.field("process.scheduler.nice", s.nice() + " is out of range (-20 to 19)");
        }
        boolean realtime = s.policy().equals("SCHED_FIFO") || s.policy().equals("SCHED_RR");
        if (s.priority() != 0 && !realtime) {
            throw ConfigException.field("process.scheduler.priority", "can only be set for SCHED_FIFO or SCHED_RR");
        }
        if (!s.policy().equals("SCHED_DEADLINE") && (s.runtime() != 0 || s.deadline() != 0 || s.period() != 0)) {
            throw ConfigException.field("process.scheduler", "runtime, deadline and period can only be set for"
                    + " SCHED_DEADLINE");
        }
        for (int i = 0; i < s.flags().size(); i++) {
            if (ConfinementNames.schedFlag(s.flags().get(i)) < 0) {
                throw ConfigException.field("process.scheduler.flags[" + i + "]", "unknown flag \"" + s.flags().get(i)
                        + "\"");
            }
        }
    }

    void linux(LinuxSpec linux) throws ConfigException {
        if (!linux.mountLabel().isEmpty()) {
            if (!host().selinux()) {
                throw ConfigException.field("linux.mountLabel", "SELinux is not enabled on this host: the label \""
                        + linux.mountLabel() + "\" cannot be applied");
            }
        }
        LinuxSpec.Personality per = linux.personality();
        if (per != null) {
            if (ConfinementNames.personaDomain(per.domain()) < 0) {
                throw ConfigException.field("linux.personality.domain", "unknown domain \"" + per.domain()
                        + "\" (LINUX or LINUX32)");
            }
            if (!per.flags().isEmpty()) {
                // As runc 1.2: the spec defines no flag, so there is nothing they could mean.
                warnings.add("linux.personality.flags: " + per.flags() + " ignored: the runtime spec defines no"
                        + " personality flags");
            }
        }
        if (linux.intelRdt()) {
            throw ConfigException.field("linux.intelRdt", host().resctrl()
                    ? "Intel RDT is not supported yet" : "Intel RDT: resctrl is not mounted on this host");
        }
    }
}
