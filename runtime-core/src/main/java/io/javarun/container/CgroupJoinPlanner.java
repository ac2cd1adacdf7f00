package io.javarun.container;

import io.javarun.process.Plan;
import java.nio.file.Path;
import java.util.Map;

/**
 * The ops by which a new process joins its cgroups itself (native/PROTOCOL.md, CGROUP and
 * JOIN_CGROUPS) instead of the JVM writing its pid into each cgroup.procs: the kernel moves a
 * single thread that moves itself without the lock whose first taker waits out an RCU grace
 * period (10 to 30 ms of every create and exec on an idle host), and starts a process in its
 * cgroup v2 with CLONE_INTO_CGROUP. The files are opened in the helper phase, on the host, before
 * any namespace is joined: the kernel checks such a write against the opener's credentials, so it
 * works from inside a user namespace too.
 */
final class CgroupJoinPlanner {
    private CgroupJoinPlanner() {}

    /** CGROUP ops for every directory (hierarchy name to directory, "" for cgroup v2): helper phase, first. */
    static void planOpen(Plan plan, Map<String, Path> dirs) {
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            boolean v2 = e.getKey().isEmpty();
            plan.add("open cgroup " + e.getValue(), "CGROUP", e.getValue().toString(), v2 ? "2" : "1");
        }
    }

    /** The JOIN_CGROUPS op: right after CLONE, before the process does anything else. */
    static void planJoin(Plan plan, Map<String, Path> dirs) {
        if (!dirs.isEmpty()) {
            plan.add("join the container's cgroups", "JOIN_CGROUPS");
        }
    }
}
