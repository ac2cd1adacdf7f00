package io.javarun.container;

import io.javarun.cgroups.Hierarchy;
import io.javarun.mount.RootfsPlanner;
import io.javarun.process.Plan;
import io.javarun.spec.ConfigException;
import io.javarun.spec.Hooks;
import io.javarun.spec.LinuxSpec;
import io.javarun.spec.NamespaceType;
import io.javarun.spec.ProcessSpec;
import io.javarun.spec.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated config into the helper plan for a container's init process, in runc's
 * order: join or create namespaces and the cgroups, wait for the resources, build the rootfs and pivot, set
 * hostname, sysctls, masks, limits, then credentials, and park on the exec FIFO.
 */
public final class CreatePlanner {
    /** The SYNC point at which the JVM applies the init's resources and runs createRuntime hooks. */
    public static final String SYNC_CREATED = "created";

    private CreatePlanner() {}

    /** What the plan needs besides the config. */
    public record Inputs(String id, Spec spec, Path rootfs, Path execFifo, String consoleSocket,
            boolean noPivot, boolean noNewKeyring, Map<Hierarchy, Path> cgroups) {
    }

    public static Plan plan(Inputs in) throws ConfigException {
        Spec spec = in.spec();
        LinuxSpec linux = spec.linux();
        ProcessSpec proc = spec.process();
        Plan plan = new Plan();

        // Helper phase: everything opened on the host before any namespace is joined.
        Map<String, Path> cgroupDirs = new LinkedHashMap<>();
        for (Map.Entry<Hierarchy, Path> e : in.cgroups().entrySet()) {
            cgroupDirs.put(e.getKey().name(), e.getValue());
        }
        CgroupJoinPlanner.planOpen(plan, cgroupDirs);
        plan.add("open the exec FIFO " + in.execFifo(), "OPEN_EXEC_FIFO", in.execFifo().toString());
        if (in.consoleSocket() != null) {
            plan.add("connect to the console socket " + in.consoleSocket(), "CONSOLE_SOCKET", in.consoleSocket());
        }
        for (NamespaceType t : NamespaceType.values()) {
            LinuxSpec.Namespace ns = linux.namespace(t);
            if (ns != null && ns.path() != null) {
                plan.add("join " + t.specName() + " namespace " + ns.path(), "SETNS", t.procName(), ns.path());
            }
        }
        if (linux.createsNew(NamespaceType.TIME)) {
            plan.add("create a time namespace", "UNSHARE", Long.toString(NamespaceType.TIME.cloneFlag()));
            StringBuilder offsets = new StringBuilder();
            for (LinuxSpec.TimeOffset o : linux.timeOffsets()) {
                offsets.append(o.clock()).append(' ').append(o.secs()).append(' ').append(o.nanosecs()).append('\n');
            }
            if (offsets.length() > 0) {
                plan.add("set time namespace offsets", "WRITE_FILE", "/proc/self/timens_offsets", offsets.toString());
            }
        }
        long flags = 0;
        for (NamespaceType t : NamespaceType.values()) {
            // cgroup: unshared after the init joined its cgroups, so that they are its root.
            if (t != NamespaceType.TIME && t != NamespaceType.CGROUP && linux.createsNew(t)) {
                flags |= t.cloneFlag();
            }
        }
        boolean newUser = linux.createsNew(NamespaceType.USER);
        plan.add("create the container process", "CLONE", Long.toString(flags),
                newUser ? idMap(linux.uidMappings()) : "", newUser ? idMap(linux.gidMappings()) : "", "");

        // Child phase.
        CgroupJoinPlanner.planJoin(plan, cgroupDirs);
        if (newUser) {
            plan.add("become root in the user namespace", "USER", "0", "0", "-");
        }
        plan.add("wait for the runtime", "SYNC", SYNC_CREATED);
        if (linux.createsNew(NamespaceType.CGROUP)) {
            plan.add("create a cgroup namespace", "UNSHARE", Long.toString(NamespaceType.CGROUP.cloneFlag()));
        }
        plan.add("create a session", "SETSID");
        if (!in.noNewKeyring()) {
            // As runc: the keyring is made searchable by the container's user, which is "other"
            // to it inside a user namespace and its owner uid without one.
            String searchable = linux.namespace(NamespaceType.USER) != null ? "0x8" : "0x80000";
            plan.add("join session keyring _ses." + in.id(), "JOIN_KEYRING", "_ses." + in.id(), searchable);
        }
        RootfsPlanner rootfs = new RootfsPlanner(plan, spec, in.rootfs(), in.cgroups());
        rootfs.planMounts(proc.cwd());
        // createContainer: in the container's namespaces, before the pivot (paths are the host's).
        planHooks(plan, "createContainer", spec.hooks().createContainer(), STATE_CREATED);
        rootfs.planPivot(in.noPivot());
        if (!spec.hostname().isEmpty()) {
            plan.add("set hostname " + spec.hostname(), "HOSTNAME", spec.hostname());
        }
        if (!spec.domainname().isEmpty()) {
            plan.add("set domainname " + spec.domainname(), "DOMAINNAME", spec.domainname());
        }
        if (linux.createsNew(NamespaceType.NETWORK)) {
            plan.add("bring up the loopback interface", "LOOPBACK_UP");
        }
        if (proc.terminal()) {
            plan.add("set up the console", "CONSOLE");
        }
        for (Map.Entry<String, String> s : linux.sysctl().entrySet()) {
            plan.add("set sysctl " + s.getKey() + "=" + s.getValue(), "WRITE_FILE",
                    "/proc/sys/" + s.getKey().replace('.', '/'), s.getValue());
        }
        rootfs.planFinal();
        ProcessPlanner.planUpToExec(plan, proc, in.rootfs(), linux.seccomp(), linux.personality());
        plan.add("report ready", "READY");
        plan.add("wait for start on the exec FIFO", "WAIT_EXEC_FIFO");
        // startContainer: inside the container, after start, before the process (container paths).
        planHooks(plan, "startContainer", spec.hooks().startContainer(), STATE_STARTED);
        plan.add("exec " + proc.args().get(0), "EXEC", proc.args());
        return plan;
    }

    /** Which state JSON of the GO that answers SYNC_CREATED a HOOK op hands to its hook. */
    static final int STATE_CREATED = 0;
    static final int STATE_STARTED = 1;

    /** HOOK ops: state index, path, timeout, argc, argv, env (native/PROTOCOL.md). */
    private static void planHooks(Plan plan, String kind, List<Hooks.Hook> hooks, int state) {
        for (int i = 0; i < hooks.size(); i++) {
            Hooks.Hook h = hooks.get(i);
            List<String> args = h.args().isEmpty() ? List.of(h.path()) : h.args();
            List<String> fields = new ArrayList<>();
            fields.add(Integer.toString(state));
            fields.add(h.path());
            fields.add(Integer.toString(h.timeout() == null ? 0 : h.timeout()));
            fields.add(Integer.toString(args.size()));
            fields.addAll(args);
            fields.addAll(h.env());
            plan.add(kind + " hook #" + i + " (" + h.path() + ")", "HOOK", fields);
        }
    }

    /** The kernel's uid_map text: one "inside outside count" line per mapping. */
    static String idMap(List<LinuxSpec.IdMapping> maps) {
        StringBuilder sb = new StringBuilder();
        for (LinuxSpec.IdMapping m : maps) {
            sb.append(m.containerId()).append(' ').append(m.hostId()).append(' ').append(m.size()).append('\n');
        }
        return sb.toString();
    }
}
