package io.javarun.container;

import io.javarun.process.CapabilityNames;
import io.javarun.process.HostLimits;
import io.javarun.process.Plan;
import io.javarun.process.RlimitType;
import io.javarun.seccomp.SeccompPlanner;
import io.javarun.seccomp.SeccompProfile;
import io.javarun.spec.LinuxSpec;
import io.javarun.spec.ProcessSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The process half of a plan, the same for a container's init and for exec. */
final class ProcessPlanner {
    private ProcessPlanner() {}

    /**
     * Limits, capabilities, user and groups, umask, working directory, no_new_privs, environment,
     * the executable's lookup and the seccomp filter, in runc's order: the bounding set is dropped
     * while still root, capabilities are set after the user switch (which clears the effective
     * set). The filter comes as late as it can, so that the fewest of our own syscalls run under
     * it: last with no_new_privs; without it, loading a filter needs CAP_SYS_ADMIN, so before
     * the capabilities are dropped.
     *
     * @param rootfs the container's rootfs on the host, for HOME from its /etc/passwd
     * @param seccomp the container's linux.seccomp (exec processes get it too), or null
     * @param personality the container's linux.personality (exec processes too, as runc 1.2), or null
     */
    static void planUpToExec(Plan plan, ProcessSpec proc, Path rootfs, SeccompProfile seccomp,
            LinuxSpec.Personality personality) {
        if (proc.confined() || personality != null) {
            ConfinementPlanner.plan(plan, proc, personality);
        }
        for (ProcessSpec.Rlimit r : proc.rlimits()) {
            int resource = RlimitType.number(r.type());
            long ours = HostLimits.hard(resource);
            // Raising a hard limit needs CAP_SYS_RESOURCE: say so where it will fail.
            String hint = ours >= 0 && Long.compareUnsigned(r.hard(), ours) > 0
                    ? " (above javarun's own hard limit " + ours + ": raising it needs CAP_SYS_RESOURCE)" : "";
            plan.add("set " + r.type() + " to soft " + Long.toUnsignedString(r.soft()) + ", hard "
                    + Long.toUnsignedString(r.hard()) + hint, "RLIMIT", Integer.toString(resource),
                    Long.toUnsignedString(r.soft()), Long.toUnsignedString(r.hard()));
        }
        if (seccomp != null && !proc.noNewPrivileges()) {
            SeccompPlanner.plan(plan, seccomp);
        }
        ProcessSpec.Capabilities caps = proc.capabilities();
        plan.add("drop capabilities from the bounding set", "CAP_BOUNDING", capMask(caps == null ? null : caps.bounding()));
        ProcessSpec.User u = proc.user();
        List<String> groups = new ArrayList<>();
        for (Long g : u.additionalGids()) {
            groups.add(Long.toString(g));
        }
        plan.add("switch to user " + u.uid() + ":" + u.gid(), "USER", Long.toString(u.uid()), Long.toString(u.gid()),
                String.join(",", groups));
        plan.add("set capabilities", "CAPS",
                capMask(caps == null ? null : caps.effective()), capMask(caps == null ? null : caps.permitted()),
                capMask(caps == null ? null : caps.inheritable()), capMask(raisableAmbient(caps)));
        plan.add("set umask", "UMASK", Integer.toOctalString(u.umask() == null ? 022 : u.umask()));
        plan.add("change to the working directory " + proc.cwd(), "CHDIR", proc.cwd());
        if (proc.noNewPrivileges()) {
            plan.add("set no_new_privs", "NO_NEW_PRIVS");
        }
        boolean hasHome = false;
        for (String e : proc.env()) {
            plan.add("set environment", "ENV", e);
            hasHome |= e.startsWith("HOME=");
        }
        if (!hasHome) {
            // runc's rule: HOME comes from the container's /etc/passwd when the config has none.
            plan.add("set environment", "ENV", "HOME=" + ContainerUsers.home(rootfs, u.uid()));
        }
        String path = proc.pathVariable();
        plan.add("find executable " + proc.args().get(0), "RESOLVE_EXEC", proc.args().get(0), path == null ? "" : path);
        if (seccomp != null && proc.noNewPrivileges()) {
            SeccompPlanner.plan(plan, seccomp);
        }
    }

    /**
     * The kernel raises an ambient capability only when it is both permitted and inheritable; the
     * others are left out silently, as runc does: its default spec lists ambient capabilities
     * without inheritable ones, and a warning on every default container would only be noise.
     */
    static List<String> raisableAmbient(ProcessSpec.Capabilities caps) {
        if (caps == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String c : caps.ambient()) {
            if (caps.permitted().contains(c) && caps.inheritable().contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** A hex bit mask of the named capabilities; unknown names are skipped (the validator warned). */
    static String capMask(List<String> names) {
        long mask = 0;
        if (names != null) {
            for (String n : names) {
                int bit = CapabilityNames.number(n);
                if (bit >= 0) {
                    mask |= 1L << bit;
                }
            }
        }
        return Long.toHexString(mask);
    }
}
