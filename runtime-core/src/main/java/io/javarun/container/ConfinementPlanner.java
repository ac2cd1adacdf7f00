package io.javarun.container;

import io.javarun.process.ConfinementNames;
import io.javarun.process.Plan;
import io.javarun.spec.LinuxSpec;
import io.javarun.spec.ProcessSpec;

/**
 * The confinement ops of a process (native/PROTOCOL.md): I/O priority, scheduler, personality
 * and the LSM exec labels. They come first in the process half of the plan, while the process
 * is still root with every capability (an RT I/O class, a real-time policy or a negative nice
 * need CAP_SYS_ADMIN or CAP_SYS_NICE) and before any seccomp filter, which could refuse our own
 * calls. The LSM labels only take effect at execve, so the process sets itself up unconfined
 * and becomes confined exactly when the container's program starts, as with runc. Each step
 * names the config field, so that a kernel's refusal reads e.g. "set process.scheduler
 * (SCHED_FIFO, priority 0): invalid argument".
 */
final class ConfinementPlanner {
    private ConfinementPlanner() {}

    static void plan(Plan plan, ProcessSpec proc, LinuxSpec.Personality personality) {
        ProcessSpec.IoPriority io = proc.ioPriority();
        if (io != null) {
            plan.add("set process.ioPriority (" + io.ioClass() + ", priority " + io.priority() + ")", "IOPRIO",
                    Integer.toString(ConfinementNames.ioprioClass(io.ioClass())), Long.toString(io.priority()));
        }
        ProcessSpec.Scheduler s = proc.scheduler();
        if (s != null) {
            long flags = 0;
            for (String f : s.flags()) {
                flags |= ConfinementNames.schedFlag(f);
            }
            StringBuilder step = new StringBuilder("set process.scheduler (").append(s.policy());
            if (s.nice() != 0) {
                step.append(", nice ").append(s.nice());
            }
            if (s.priority() != 0 || s.policy().equals("SCHED_FIFO") || s.policy().equals("SCHED_RR")) {
                step.append(", priority ").append(s.priority());
            }
            if (s.policy().equals("SCHED_DEADLINE")) {
                step.append(", runtime ").append(Long.toUnsignedString(s.runtime())).append(" deadline ")
                        .append(Long.toUnsignedString(s.deadline())).append(" period ")
                        .append(Long.toUnsignedString(s.period()));
            }
            for (String f : s.flags()) {
                step.append(", ").append(f);
            }
            step.append(')');
            if (s.priority() > 0) {
                // The usual EPERM as root: the container's cgroup has no real-time budget.
                step.append(" (a real-time policy needs CAP_SYS_NICE and, with RT group scheduling,"
                        + " linux.resources.cpu.realtimeRuntime)");
            }
            plan.add(step.toString(), "SCHEDULER", Integer.toString(ConfinementNames.schedPolicy(s.policy())),
                    Long.toHexString(flags), Long.toString(s.nice()), Long.toString(s.priority()),
                    Long.toUnsignedString(s.runtime()), Long.toUnsignedString(s.deadline()),
                    Long.toUnsignedString(s.period()));
        }
        if (personality != null) {
            plan.add("set linux.personality (" + personality.domain() + ")", "PERSONALITY",
                    Integer.toString(ConfinementNames.personaDomain(personality.domain())));
        }
        if (!proc.selinuxLabel().isEmpty()) {
            plan.add("set the SELinux label " + proc.selinuxLabel() + " (process.selinuxLabel) for exec", "SELINUX",
                    proc.selinuxLabel());
        }
        if (!proc.apparmorProfile().isEmpty()) {
            plan.add("set the AppArmor profile " + proc.apparmorProfile() + " (process.apparmorProfile) for exec",
                    "APPARMOR", proc.apparmorProfile());
        }
    }
}
