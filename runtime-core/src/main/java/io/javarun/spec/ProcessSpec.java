package io.javarun.spec;

import java.util.List;

/**
 * {@code process}: what runs in the container and with which credentials and limits. The LSM
 * labels are "" when not set; {@code ioPriority} and {@code scheduler} null.
 */
public record ProcessSpec(
        boolean terminal,
        User user,
        List<String> args,
        List<String> env,
        String cwd,
        Capabilities capabilities,
        List<Rlimit> rlimits,
        boolean noNewPrivileges,
        Integer oomScoreAdj,
        String apparmorProfile,
        String selinuxLabel,
        IoPriority ioPriority,
        Scheduler scheduler) {

    /** {@code process.user}; ids are 32-bit unsigned, as the kernel's. */
    public record User(long uid, long gid, Integer umask, List<Long> additionalGids) {
    }

    /** {@code process.capabilities}: each set is a list of names such as CAP_CHOWN; null when absent. */
    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
            List<String> permitted, List<String> ambient) {
    }

    /** {@code process.rlimits[]}: type such as RLIMIT_NOFILE; values are unsigned 64-bit. */
    public record Rlimit(String type, long hard, long soft) {
    }

    /** {@code process.ioPriority}: class such as IOPRIO_CLASS_BE, priority 0 (highest) to 7. */
    public record IoPriority(String ioClass, long priority) {
    }

    /**
     * {@code process.scheduler}, sched_setattr(2)'s fields: policy such as SCHED_BATCH, flags
     * such as SCHED_FLAG_RESET_ON_FORK, runtime, deadline and period in nanoseconds.
     */
    public record Scheduler(String policy, long nice, long priority, List<String> flags, long runtime,
            long deadline, long period) {
    }

    /** True when the process asks for an LSM label, an I/O priority or a scheduler. */
    public boolean confined() {
        return !apparmorProfile.isEmpty() || !selinuxLabel.isEmpty() || ioPriority != null || scheduler != null;
    }

    /** The same process with entries added to its environment. */
    public ProcessSpec withEnv(String... entries) {
        List<String> all = new java.util.ArrayList<>(env);
        all.addAll(List.of(entries));
        return new ProcessSpec(terminal, user, args, all, cwd, capabilities, rlimits, noNewPrivileges, oomScoreAdj,
                apparmorProfile, selinuxLabel, ioPriority, scheduler);
    }

    /** The value of PATH in {@link #env()}, or null when the environment has none. */
    public String pathVariable() {
        for (String e : env) {
            if (e.startsWith("PATH=")) {
                return e.substring(5);
            }
        }
        return null;
    }
}
