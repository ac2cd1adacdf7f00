package io.javarun.mount;

import static io.javarun.mount.MountFlags.*;

import io.javarun.cgroups.Hierarchy;
import io.javarun.spec.ConfigException;
import io.javarun.spec.LinuxSpec;
import io.javarun.spec.Mount;
import io.javarun.spec.NamespaceType;
import io.javarun.spec.Spec;
import io.javarun.process.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Plans the container's filesystem: propagation, the rootfs bind, every mount of the config,
 * /dev (nodes and symlinks), the pivot, then masks and read-only paths. The order is runc's
 * (libcontainer/rootfs_linux.go); each op names its step for error messages.
 */
public final class RootfsPlanner {
    /** The device nodes every container gets unless /dev is bind-mounted (runc's defaults). */
    public static final List<LinuxSpec.Device> DEFAULT_DEVICES = List.of(
            new LinuxSpec.Device("/dev/null", "c", 1, 3, 0666, 0L, 0L),
            new LinuxSpec.Device("/dev/zero", "c", 1, 5, 0666, 0L, 0L),
            new LinuxSpec.Device("/dev/full", "c", 1, 7, 0666, 0L, 0L),
            new LinuxSpec.Device("/dev/tty", "c", 5, 0, 0666, 0L, 0L),
            new LinuxSpec.Device("/dev/random", "c", 1, 8, 0666, 0L, 0L),
            new LinuxSpec.Device("/dev/urandom", "c", 1, 9, 0666, 0L, 0L));

    private final Plan plan;
    private final Spec spec;
    private final Path rootfs;
    private final Map<Hierarchy, Path> cgroups;
    private final boolean userns;
    private final boolean cgroupns;

    /**
     * @param cgroups the container's cgroup directory in each hierarchy (for cgroup mounts)
     */
    public RootfsPlanner(Plan plan, Spec spec, Path rootfs, Map<Hierarchy, Path> cgroups) {
        this.plan = plan;
        this.spec = spec;
        this.rootfs = rootfs;
        this.cgroups = cgroups;
        this.userns = spec.linux().namespace(NamespaceType.USER) != null;
        this.cgroupns = spec.linux().createsNew(NamespaceType.CGROUP);
    }

    /**
     * Everything up to the switch to the new root. The working directory is created when
     * missing, as runc does (after the mounts, so that it lands on the right one).
     */
    public void planMounts(String cwd) throws ConfigException {
        String prop = spec.linux().rootfsPropagation();
        long rootProp = prop.isEmpty() ? SLAVE | REC : propagationFlags(prop);
        plan.add("make the mount namespace's / " + (prop.isEmpty() ? "rslave" : prop), "ROOT_PROPAGATION",
                Long.toString(rootProp));
        // A recursive slave/private/unbindable / leaves nothing shared; otherwise the rootfs's
        // parent mount may still be (or become so through the propagation just set on /), and
        // pivot_root refuses that: runc makes it private too. The host's mountinfo tells the
        // parent; a shared root propagation makes it shared whatever the host had.
        if ((rootProp & REC) == 0 || (rootProp & SHARED) != 0) {
            ParentMount parent;
            try {
                parent = ParentMount.of(rootfs);
            } catch (java.io.IOException e) {
                throw ConfigException.field("root.path", "cannot find the mount of " + rootfs + ": " + e.getMessage());
            }
            if (parent != null && (parent.shared() || (rootProp & SHARED) != 0)) {
                plan.add("make the rootfs's parent mount " + parent.mountPoint() + " private", "HOST_PROPAGATION",
                        parent.mountPoint(), Long.toString(PRIVATE));
            }
        }
        plan.add("bind mount the rootfs " + rootfs, "ROOTFS", rootfs.toString());
        boolean devBound = false;
        for (int i = 0; i < spec.mounts().size(); i++) {
            Mount m = spec.mounts().get(i);
            MountOptions o;
            try {
                o = MountOptions.parse(m.options());
            } catch (MountOptions.UnsupportedOptionException e) {
                throw ConfigException.field("mounts[" + i + "].options", e.getMessage());
            }
            if (m.isBind()) {
                planBind(i, m, o);
                devBound |= Path.of(m.destination()).normalize().toString().equals("/dev");
            } else if (m.type().equals("cgroup") || m.type().equals("cgroup2")) {
                planCgroup(m, o);
            } else {
                String step = "mount " + m.type() + " at " + m.destination();
                plan.add("create mount point " + m.destination(), "MKDIR", m.destination(), "493");
                plan.add(step, "MOUNT", m.source().isEmpty() ? m.type() : m.source(), m.destination(), m.type(),
                        Long.toString(o.flags()), labelled(m.type(), o.data()));
                if (m.type().equals("mqueue") && !spec.linux().mountLabel().isEmpty()) {
                    plan.add("label " + m.destination() + " " + spec.linux().mountLabel() + " (linux.mountLabel)",
                            "FILE_LABEL", m.destination(), spec.linux().mountLabel());
                }
                propagation(m, o);
            }
        }
        if (!devBound) {
            planDevices();
        }
        plan.add("create the working directory " + cwd, "MKDIR", cwd, "493");
    }

    /**
     * linux.mountLabel as runc gives it: a {@code context="..."} option on the filesystems it
     * mounts, but not on proc and sysfs (the kernel's own labels) nor on binds and cgroups
     * (their data is not used); mqueue takes no context option and is labelled after mounting.
     */
    private String labelled(String type, String data) {
        String label = spec.linux().mountLabel();
        if (label.isEmpty() || type.equals("proc") || type.equals("sysfs") || type.equals("mqueue")) {
            return data;
        }
        return (data.isEmpty() ? "" : data + ",") + "context=\"" + label + "\"";
    }

    /** The switch to the new root: pivot_root, or MS_MOVE + chroot with --no-pivot. */
    public void planPivot(boolean noPivot) {
        if (noPivot) {
            plan.add("move the rootfs to / (--no-pivot)", "MOVE_ROOT");
        } else {
            plan.add("pivot_root into the rootfs", "PIVOT_ROOT");
        }
    }

    private void planBind(int index, Mount m, MountOptions o) throws ConfigException {
        Path source = Path.of(m.source());
        if (!Files.exists(source)) {
            throw ConfigException.field("mounts[" + index + "].source", m.source() + ": no such file or directory");
        }
        if (Files.isDirectory(source)) {
            plan.add("create mount point " + m.destination(), "MKDIR", m.destination(), "493");
        } else {
            plan.add("create mount point " + m.destination(), "MKFILE", m.destination(), "493");
        }
        String step = "bind mount " + m.source() + " at " + m.destination();
        plan.add(step, "MOUNT", m.source(), m.destination(), "", Long.toString(o.flags() & (BIND | REC)), "");
        if (o.remountFlags() != 0) {
            plan.add("remount " + m.destination() + " with " + String.join(",", m.options()), "REMOUNT",
                    m.destination(), Long.toString(BIND | o.remountFlags()), "");
        }
        propagation(m, o);
    }

    private void propagation(Mount m, MountOptions o) {
        if (o.propagation() != 0) {
            plan.add("set propagation of " + m.destination(), "PROPAGATION", m.destination(),
                    Long.toString(o.propagation()));
        }
    }

    /**
     * cgroup v1: a tmpfs with one directory per hierarchy showing the container's own cgroup,
     * and the links for merged controllers (cpu -> cpu,cpuacct). cgroup v2: the container's
     * cgroup itself. With a new cgroup namespace the real filesystems are mounted (they show
     * the namespace's root, which is the container's cgroup); without, the host's directories
     * are bind-mounted.
     */
    private void planCgroup(Mount m, MountOptions o) {
        String dest = m.destination();
        long flags = o.flags();
        boolean v1 = false;
        for (Hierarchy h : cgroups.keySet()) {
            v1 |= !h.v2();
        }
        plan.add("create mount point " + dest, "MKDIR", dest, "493");
        if (!v1) {
            for (Map.Entry<Hierarchy, Path> e : cgroups.entrySet()) {
                if (cgroupns) {
                    plan.add("mount cgroup2 at " + dest, "MOUNT", "cgroup2", dest, "cgroup2", Long.toString(flags), "");
                } else {
                    plan.add("bind mount the container's cgroup at " + dest, "MOUNT", e.getValue().toString(), dest, "",
                            Long.toString(BIND), "");
                    plan.add("remount " + dest + " read-only", "REMOUNT", dest, Long.toString(BIND | (flags & ~REMOUNT)), "");
                }
            }
            return;
        }
        plan.add("mount tmpfs at " + dest, "MOUNT", "tmpfs", dest, "tmpfs", Long.toString(flags & ~RDONLY), "mode=755");
        for (Map.Entry<Hierarchy, Path> e : cgroups.entrySet()) {
            Hierarchy h = e.getKey();
            if (h.v2()) {
                continue; // hybrid hosts: containers see the v1 controllers, as with runc
            }
            String sub = dest + "/" + h.containerDirName();
            plan.add("create mount point " + sub, "MKDIR", sub, "493");
            if (cgroupns) {
                plan.add("mount cgroup " + h.name() + " at " + sub, "MOUNT", "cgroup", sub, "cgroup",
                        Long.toString(flags & ~REMOUNT), h.name());
            } else {
                plan.add("bind mount the container's " + h.name() + " cgroup at " + sub, "MOUNT",
                        e.getValue().toString(), sub, "", Long.toString(BIND), "");
                plan.add("remount " + sub + " with the cgroup mount's flags", "REMOUNT", sub,
                        Long.toString(BIND | (flags & ~REMOUNT)), "");
            }
            if (h.controllers().size() > 1) {
                for (String c : h.controllers()) {
                    plan.add("link " + dest + "/" + c + " to " + h.name(), "SYMLINK", h.name(), dest + "/" + c);
                }
            }
        }
        if ((flags & RDONLY) != 0) {
            plan.add("remount " + dest + " read-only", "REMOUNT", dest, Long.toString(flags & ~REMOUNT), "");
        }
    }

    private void planDevices() {
        for (LinuxSpec.Device d : DEFAULT_DEVICES) {
            if (!configured(d.path())) {
                device(d);
            }
        }
        for (LinuxSpec.Device d : spec.linux().devices()) {
            device(d);
        }
        plan.add("link /dev/fd", "SYMLINK", "/proc/self/fd", "/dev/fd");
        plan.add("link /dev/stdin", "SYMLINK", "/proc/self/fd/0", "/dev/stdin");
        plan.add("link /dev/stdout", "SYMLINK", "/proc/self/fd/1", "/dev/stdout");
        plan.add("link /dev/stderr", "SYMLINK", "/proc/self/fd/2", "/dev/stderr");
        if (Files.exists(Path.of("/proc/kcore"))) {
            plan.add("link /dev/core", "SYMLINK", "/proc/kcore", "/dev/core");
        }
        for (Mount m : spec.mounts()) {
            if (m.type().equals("devpts") && Path.of(m.destination()).normalize().toString().equals("/dev/pts")) {
                plan.add("link /dev/ptmx to pts/ptmx", "SYMLINK", "pts/ptmx", "/dev/ptmx");
                break;
            }
        }
    }

    /** Whether linux.devices names this path (it then replaces the default node). */
    private boolean configured(String path) {
        for (LinuxSpec.Device d : spec.linux().devices()) {
            if (d.path().equals(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A device node: made with mknod, except in a user namespace, where mknod is not allowed and
     * the host's node is bind-mounted instead (as runc does).
     */
    private void device(LinuxSpec.Device d) {
        int mode = d.fileMode() == null ? 0666 : d.fileMode();
        String step = "create device " + d.path();
        if (userns) {
            plan.add(step, "MKFILE", d.path(), "420");
            plan.add(step, "MOUNT", d.path(), d.path(), "", Long.toString(BIND), "");
        } else {
            plan.add(step, "MKNOD", d.path(), d.type(), Long.toString(d.major()), Long.toString(d.minor()),
                    Integer.toString(mode), Long.toString(d.uid() == null ? 0 : d.uid()),
                    Long.toString(d.gid() == null ? 0 : d.gid()));
        }
    }

    /** After the pivot: read-only paths, masked paths, then the read-only root. */
    public void planFinal() {
        for (String p : spec.linux().readonlyPaths()) {
            plan.add("make " + p + " read-only", "READONLY", p);
        }
        for (String p : spec.linux().maskedPaths()) {
            plan.add("mask " + p, "MASK", p);
        }
        if (spec.root().readonly()) {
            plan.add("remount the root read-only", "REMOUNT", "/", Long.toString(BIND | RDONLY), "");
        }
    }

    private static long propagationFlags(String name) {
        switch (name) {
            case "shared": return SHARED;
            case "rshared": return SHARED | REC;
            case "slave": return SLAVE;
            case "rslave": return SLAVE | REC;
            case "private": return PRIVATE;
            case "rprivate": return PRIVATE | REC;
            case "unbindable": return UNBINDABLE;
            case "runbindable": return UNBINDABLE | REC;
            default: throw new IllegalArgumentException(name);
        }
    }
}
