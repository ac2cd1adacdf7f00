package io.javarun.container;

import io.javarun.process.Plan;
import io.javarun.spec.LinuxSpec;
import io.javarun.spec.NamespaceType;
import io.javarun.spec.ProcessSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * The helper plan of an exec: join every namespace the container has (through its init's
 * /proc/PID/ns links, user first and mount last) and its cgroups, fork into them, wait, then the
 * same process set-up as the container's init, and exec.
 */
final class ExecPlanner {
    /** The SYNC point at which the JVM hands a seccomp listener over and lets the process go on. */
    static final String SYNC_EXEC = "exec";

    private ExecPlanner() {}

    static Plan plan(LinuxSpec linux, int initPid, ProcessSpec proc, Path rootfs, String consoleSocket,
            Map<String, Path> cgroups) {
        Plan plan = new Plan();
        CgroupJoinPlanner.planOpen(plan, cgroups);
        if (consoleSocket != null) {
            plan.add("connect to the console socket " + consoleSocket, "CONSOLE_SOCKET", consoleSocket);
        }
        for (NamespaceType t : NamespaceType.values()) {
            if (linux.namespace(t) != null) {
                String path = "/proc/" + initPid + "/ns/" + t.procName();
                plan.add("join the container's " + t.specName() + " namespace", "SETNS", t.procName(), path);
            }
        }
        plan.add("create the process", "CLONE", "0", "", "", "");
        CgroupJoinPlanner.planJoin(plan, cgroups);
        plan.add("wait for the runtime", "SYNC", SYNC_EXEC);
        plan.add("create a session", "SETSID");
        plan.add("enter the container's root", "ROOT_SLASH");
        if (proc.terminal()) {
            plan.add("set up the console", "CONSOLE");
        }
        // The container's seccomp filter applies to every process in it, as with runc.
        ProcessPlanner.planUpToExec(plan, proc, rootfs, linux.seccomp(), linux.personality());
        plan.add("exec " + proc.args().get(0), "EXEC", proc.args());
        return plan;
    }
}
