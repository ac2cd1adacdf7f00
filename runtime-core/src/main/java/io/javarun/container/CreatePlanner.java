package io.javarun.container;

import io.javarun.cgroups.Hierarchy;
import io.javarun.mount.RootfsPlanner;
import io.javarun.process.CapabilityNames;
import io.javarun.process.HostLimits;
import io.javarun.process.Plan;
import io.javarun.spec.ProcessSpec;
import io.javarun.process.RlimitType;
import io.javarun.spec.ConfigException;
import io.javarun.spec.LinuxSpec;
import io.javarun.spec.NamespaceType;
import io.javarun.spec.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated config into the helper plan for a container's init process, in runc's
 * order: join or create namespaces, wait for the cgroups, build the rootfs and pivot, set
 * hostname, sysctls, masks, limits, then credentials, and park on the exec FIFO.
 */
public final class CreatePlanner {
    /** The SYNC point at which the JVM places the init in its cgroups and runs createRuntime hooks. */
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
        if (newUser) {
            plan.add("become root in the user namespace", "USER", "0", "0", "-");
        }
        plan.add("wait for the runtime", "SYNC", SYNC_CREATED);
        if (linux.createsNew(NamespaceType.CGROUP)) {
            plan.add("create a cgroup namespace", "UNSHARE", Long.toString(NamespaceType.CGROUP.cloneFlag()));
        }
        plan.add("create a session", "SETSID");
        if (!in.noNewKeyring()) {
            plan.add("join session keyring _ses." + in.id(), "JOIN_KEYRING", "_ses." + in.id());
        }
        RootfsPlanner rootfs = new RootfsPlanner(plan, spec, in.rootfs(), in.cgroups());
        rootfs.planMountsAndPivot(in.noPivot(), proc.cwd());
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
        planProcess(plan, in, proc);
        return plan;
    }

    private static void planProcess(Plan plan, Inputs in, ProcessSpec proc) {
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
            plan.add("set environment", "ENV", "HOME=" + ContainerUsers.home(in.rootfs(), u.uid()));
        }
        String path = proc.pathVariable();
        plan.add("find executable " + proc.args().get(0), "RESOLVE_EXEC", proc.args().get(0), path == null ? "" : path);
        plan.add("report ready", "READY");
        plan.add("wait for start on the exec FIFO", "WAIT_EXEC_FIFO");
        plan.add("exec " + proc.args().get(0), "EXEC", proc.args());
    }

    /** The kernel's uid_map text: one "inside outside count" line per mapping. */
    static String idMap(List<LinuxSpec.IdMapping> maps) {
        StringBuilder sb = new StringBuilder();
        for (LinuxSpec.IdMapping m : maps) {
            sb.append(m.containerId()).append(' ').append(m.hostId()).append(' ').append(m.size()).append('\n');
        }
        return sb.toString();
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
