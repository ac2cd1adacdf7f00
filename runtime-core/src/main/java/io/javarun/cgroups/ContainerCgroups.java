package io.javarun.cgroups;

import io.javarun.cgroups.devices.DeviceFilter;
import io.javarun.cgroups.devices.DeviceFilterAttach;
import io.javarun.cgroups.devices.DeviceRuleSet;
import io.javarun.spec.LinuxSpec;
import io.javarun.spec.Resources;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The cgroup directories of one container, one per hierarchy, following runc's cgroupfs rules:
 * an absolute cgroupsPath is taken below each hierarchy's mount; a relative one (and the default,
 * the container id) below the cgroup the caller is in.
 */
public final class ContainerCgroups {
    private static final int SIGKILL = 9;

    /** Hierarchy name ("cpu,cpuacct", "name=systemd", "" for v2) to directory. */
    private final Map<String, Path> dirs;
    /** The cgroup2 mount of a pure v2 host (set by {@link #plan}; null otherwise and when read from state). */
    private Path unifiedMount;
    /** Directories {@link #create} made, parents first: what a failed create removes. */
    private final List<Path> created = new ArrayList<>();

    public ContainerCgroups(Map<String, Path> dirs) {
        this.dirs = dirs;
    }

    /** The cgroups recorded in a container's state (hierarchy name to directory). */
    public static ContainerCgroups fromPaths(Map<String, String> paths) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : paths.entrySet()) {
            dirs.put(e.getKey(), Path.of(e.getValue()));
        }
        return new ContainerCgroups(dirs);
    }

    public Map<String, Path> dirs() {
        return dirs;
    }

    /** Computes the directories for {@code cgroupsPath} (empty: the id) without touching anything. */
    public static ContainerCgroups plan(CgroupLayout layout, String cgroupsPath, String id) throws CgroupException {
        // A "slice:prefix:name" path is the systemd driver's form; runc's cgroupfs driver takes it
        // as a plain directory name, colons included, and so does javarun.
        String path = cgroupsPath.isEmpty() ? id : cgroupsPath;
        // Cleaned on its own first, as runc's CleanPath does: a relative path's ".." can never
        // climb above the caller's cgroup.
        String cleaned = Path.of("/" + path).normalize().toString();
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (Hierarchy h : layout.hierarchies()) {
            String base;
            if (path.startsWith("/")) {
                base = cleaned;
            } else {
                String caller = layout.callerPath(h);
                if (!h.mountRoot().equals("/") && caller.startsWith(h.mountRoot())) {
                    caller = caller.substring(h.mountRoot().length());
                }
                if (h.v2() && !layout.isV1()) {
                    // cgroup v2's no-internal-processes rule: the caller's own cgroup holds
                    // tasks, so controllers cannot be enabled below it. runc uses its parent.
                    Path parent = Path.of(caller).getParent();
                    caller = parent == null ? "/" : parent.toString();
                }
                base = caller + cleaned;
            }
            Path clean = Path.of("/" + base).normalize();
            if (clean.toString().equals("/")) {
                throw new CgroupException("linux.cgroupsPath \"" + cgroupsPath + "\" names the root cgroup");
            }
            dirs.put(h.name(), h.mountPoint().resolve(clean.toString().substring(1)));
        }
        ContainerCgroups planned = new ContainerCgroups(dirs);
        if (!layout.isV1()) {
            for (Hierarchy h : layout.hierarchies()) {
                if (h.v2()) {
                    planned.unifiedMount = h.mountPoint();
                }
            }
        }
        return planned;
    }

    /**
     * Creates the directories (existing ones are joined as they are). On cgroup v2 every
     * controller the root offers is enabled in the subtree_control of each ancestor, as runc's
     * fs2 driver does, so that the container's directory has the controllers' files.
     */
    public void create() throws CgroupException {
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            Path dir = e.getValue();
            if (unifiedMount != null && e.getKey().isEmpty()) {
                UnifiedHierarchy.create(unifiedMount, dir, created);
                continue;
            }
            mkdirs(dir);
            if (List.of(e.getKey().split(",")).contains("cpuset")) {
                inheritCpuset(dir);
            }
        }
    }

    /** Files.createDirectories, remembering which directories it made. */
    private void mkdirs(Path dir) throws CgroupException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                created.add(p);
            } catch (java.nio.file.FileAlreadyExistsException ex) {
                // Made meanwhile by someone else: joined as it is.
            } catch (IOException ex) {
                throw new CgroupException("create cgroup " + p + ": " + CgroupFiles.reason(ex));
            }
        }
    }

    /**
     * A new v1 cpuset cgroup starts with empty cpus and mems and refuses tasks until they are
     * set: copy them down from the nearest ancestor that has them.
     */
    private static void inheritCpuset(Path dir) throws CgroupException {
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            List<Path> chain = new ArrayList<>();
            Path p = dir;
            while (p != null && Files.exists(p.resolve(file))
                    && CgroupFiles.read(p.resolve(file)).isBlank()) {
                chain.add(0, p);
                p = p.getParent();
            }
            if (p == null || !Files.exists(p.resolve(file))) {
                continue;
            }
            String value = CgroupFiles.read(p.resolve(file)).trim();
            for (Path c : chain) {
                CgroupFiles.write(c.resolve(file), value);
            }
        }
    }

    /**
     * Writes device rules to the v1 devices controller, in order (a deny-all first resets the
     * list). On cgroup v2 the same rules become an eBPF program attached to the container's
     * cgroup ({@link DeviceFilter}), replacing the one attached before.
     */
    public void applyDeviceRules(List<LinuxSpec.DeviceRule> rules) throws CgroupException {
        if (rules.isEmpty()) {
            return;
        }
        Path devices = null;
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            if (List.of(e.getKey().split(",")).contains("devices")) {
                devices = e.getValue();
            }
        }
        if (devices == null) {
            Path unified = isV1() ? null : dirs.get("");
            if (unified == null) {
                throw new CgroupException("linux.resources.devices: this host has neither a v1 devices controller"
                        + " nor cgroup v2");
            }
            DeviceFilterAttach.attach(unified, DeviceFilter.program(DeviceRuleSet.of(rules)));
            return;
        }
        for (LinuxSpec.DeviceRule r : rules) {
            String major = r.major() == null || r.major() < 0 ? "*" : Long.toString(r.major());
            String minor = r.minor() == null || r.minor() < 0 ? "*" : Long.toString(r.minor());
            String value = r.type().equals("a") ? "a" : r.type() + " " + major + ":" + minor + " " + r.access();
            CgroupFiles.write(devices.resolve(r.allow() ? "devices.allow" : "devices.deny"), value);
        }
    }

    /** The directory of a v1 controller ("memory", "cpu"), or null when no hierarchy carries it. */
    public Path controllerDir(String controller) {
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            String key = e.getKey();
            if (key.equals(controller) || (key.indexOf(',') >= 0 && List.of(key.split(",")).contains(controller))) {
                return e.getValue();
            }
        }
        return null;
    }

    /** True when the container's cgroup is on the unified (v2) hierarchy. */
    public boolean isUnified() {
        return !isV1() && dirs.get("") != null;
    }

    /** True when the container's cgroups are v1 controllers (a hybrid host's empty cgroup2 aside). */
    public boolean isV1() {
        for (String key : dirs.keySet()) {
            if (!key.isEmpty() && !key.startsWith("name=")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the resources (other than device rules) to the v1 controller files, in runc's order
     * ({@link CgroupWritePlan}). {@code field} names the source in errors ("linux.resources").
     * Nothing is read or written when only device rules are set.
     */
    public void applyResources(Resources r, String field, Consumer<String> warnings) throws CgroupException {
        if (r.onlyDevices()) {
            return;
        }
        if (!isV1()) {
            Path dir = dirs.get("");
            if (dir == null) {
                throw new CgroupException(field + ": no cgroup to apply resources to");
            }
            CgroupWritePlan plan = UnifiedWritePlan.of(r, UnifiedHierarchy.host(dir), field);
            for (String w : plan.warnings()) {
                warnings.accept(w);
            }
            apply(plan, field);
            return;
        }
        Path memory = controllerDir("memory");
        long current = -1;
        boolean swap = false;
        if (memory != null && r.memory() != null) {
            swap = Files.exists(memory.resolve("memory.memsw.limit_in_bytes"));
            current = Long.parseUnsignedLong(CgroupFiles.read(memory.resolve("memory.limit_in_bytes")).trim());
        }
        String weightFile = null;
        Path blkio = controllerDir("blkio");
        if (blkio != null && r.blockIO() != null) {
            if (Files.exists(blkio.resolve("blkio.weight"))) {
                weightFile = "blkio.weight";
            } else if (Files.exists(blkio.resolve("blkio.bfq.weight"))) {
                weightFile = "blkio.bfq.weight";
            }
        }
        CgroupWritePlan plan = CgroupWritePlan.v1(r, new CgroupWritePlan.Host(swap, current, weightFile), field);
        for (String w : plan.warnings()) {
            warnings.accept(w);
        }
        apply(plan, field);
    }

    private void apply(CgroupWritePlan plan, String field) throws CgroupException {
        CgroupWritePlan.Write pendingPeriod = null;
        for (CgroupWritePlan.Write w : plan.writes()) {
            Path dir = controllerDir(w.controller());
            if (dir == null) {
                throw new CgroupException(field + ": cannot set " + w.file() + ": no " + w.controller()
                        + " cgroup controller is mounted on this host");
            }
            Path file = dir.resolve(w.file());
            switch (w.kind()) {
                case PERIOD_RETRY: {
                    String err = CgroupFiles.tryWrite(file, w.value());
                    if (err != null) {
                        if (!err.equals("invalid argument")) {
                            throw new CgroupException("write \"" + w.value() + "\" to " + file + ": " + err);
                        }
                        pendingPeriod = w; // old quota / new period over the parent's: after the quota
                    }
                    break;
                }
                case MEMORY_LIMIT: {
                    String err = CgroupFiles.tryWrite(file, w.value());
                    if (err != null) {
                        if (err.equals("device or resource busy")) {
                            throw new CgroupException("unable to set memory limit to " + w.value() + " (current usage: "
                                    + readTrim(dir.resolve("memory.usage_in_bytes")) + ", peak usage: "
                                    + readTrim(dir.resolve("memory.max_usage_in_bytes")) + ")");
                        }
                        throw new CgroupException("write \"" + w.value() + "\" to " + file + ": " + err);
                    }
                    break;
                }
                case UNIFIED: {
                    String err = CgroupFiles.tryWrite(file, w.value());
                    if (err != null) {
                        throw new CgroupException(field + ".unified: " + UnifiedHierarchy.unifiedFailure(dir, w, err));
                    }
                    break;
                }
                case SHARES: {
                    CgroupFiles.write(file, w.value());
                    long wanted = Long.parseUnsignedLong(w.value());
                    long got = Long.parseLong(readTrim(file));
                    if (wanted > got) {
                        throw new CgroupException("the maximum allowed cpu-shares is " + got);
                    } else if (wanted < got) {
                        throw new CgroupException("the minimum allowed cpu-shares is " + got);
                    }
                    break;
                }
                default:
                    CgroupFiles.write(file, w.value());
                    if (pendingPeriod != null && w.file().equals("cpu.cfs_quota_us")) {
                        CgroupFiles.write(dir.resolve(pendingPeriod.file()), pendingPeriod.value());
                        pendingPeriod = null;
                    }
            }
        }
    }

    private static String readTrim(Path file) throws CgroupException {
        return CgroupFiles.read(file).trim();
    }

    /** Reads a control file of a controller (trimmed), or null when the controller or file is absent. */
    public String readControl(String controller, String file) {
        Path dir = controllerDir(controller);
        if (dir == null || !Files.exists(dir.resolve(file))) {
            return null;
        }
        try {
            return readTrim(dir.resolve(file));
        } catch (CgroupException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- OOM notifications

    /**
     * Registers an eventfd for the v1 memory controller's OOM notifications (cgroup.event_control
     * with memory.oom_control, as runc does). Returns {eventfd, oom_control fd}; the eventfd's
     * counter goes up on every OOM, and also when the cgroup is removed.
     */
    public int[] registerOomEventfd() throws CgroupException {
        Path memory = controllerDir("memory");
        if (memory == null) {
            throw new CgroupException("no v1 memory cgroup controller on this host"
                    + " (OOM notifications of cgroup v2 are not supported yet)");
        }
        io.javarun.linux.LinuxNative.load();
        int efd;
        try {
            efd = io.javarun.linux.LinuxNative.eventfd(0, io.javarun.linux.LinuxNative.EFD_CLOEXEC);
        } catch (io.javarun.linux.ErrnoException e) {
            throw new CgroupException("eventfd: " + e.getMessage());
        }
        int ofd;
        try {
            ofd = io.javarun.linux.LinuxNative.openReadOnly(memory.resolve("memory.oom_control").toString());
        } catch (io.javarun.linux.ErrnoException e) {
            io.javarun.linux.LinuxNative.closeQuietly(efd);
            throw new CgroupException("open " + memory.resolve("memory.oom_control") + ": " + e.getMessage());
        }
        try {
            CgroupFiles.write(memory.resolve("cgroup.event_control"), efd + " " + ofd);
        } catch (CgroupException e) {
            io.javarun.linux.LinuxNative.closeQuietly(efd);
            io.javarun.linux.LinuxNative.closeQuietly(ofd);
            throw e;
        }
        return new int[] {efd, ofd};
    }

    /** True while the memory cgroup exists (an eventfd wake-up after removal is not an OOM). */
    public boolean memoryCgroupExists() {
        Path memory = controllerDir("memory");
        return memory != null && Files.exists(memory.resolve("cgroup.event_control"));
    }

    /**
     * cgroup v2's count of OOM kills in the container (memory.events oom_kill), -1 once the cgroup
     * is gone; null where the container's memory controller is v1 (use {@link #registerOomEventfd}).
     */
    public Long oomKillCount() {
        if (!isUnified()) {
            return null;
        }
        return UnifiedHierarchy.oomKills(dirs.get(""));
    }

    // ---------------------------------------------------------------- freezer

    /** freezer.state: "FROZEN", "FREEZING", "THAWED"; null without a v1 freezer. */
    public String freezerState() {
        return readControl("freezer", "freezer.state");
    }

    /** Frozen or being frozen: v1 freezer.state other than THAWED, v2 cgroup.freeze 1. */
    public boolean isFrozen() {
        if (controllerDir("freezer") != null) {
            String state = freezerState();
            return state != null && !state.equals("THAWED");
        }
        Path unified = dirs.get("");
        return unified != null && !isV1() && UnifiedHierarchy.isFrozen(unified);
    }

    /**
     * Sends {@code signal} to every process in the container's cgroup; SIGKILL on cgroup v2 in one
     * write to cgroup.kill (which also reaches processes forked meanwhile).
     */
    public void signalAll(int signal) throws CgroupException {
        Path unified = dirs.get("");
        if (signal == SIGKILL && unified != null && !isV1() && UnifiedHierarchy.kill(unified)) {
            return;
        }
        io.javarun.linux.LinuxNative.load();
        for (int pid : pids()) {
            try {
                io.javarun.linux.LinuxNative.kill(pid, signal);
            } catch (io.javarun.linux.ErrnoException e) {
                // A process that exited meanwhile: the others still get the signal.
            }
        }
    }

    /**
     * Freezes (or thaws) every process of the container and waits until the state is reached,
     * as runc's v1 freezer does: FREEZING can last while tasks are in uninterruptible sleep, so
     * the write is repeated, with a thaw and refreeze now and then to shake stuck tasks loose.
     */
    public void freeze(boolean frozen) throws CgroupException {
        Path dir = controllerDir("freezer");
        if (dir == null) {
            Path unified = dirs.get("");
            if (unified == null || isV1()) {
                throw new CgroupException("no freezer on this host: neither a v1 freezer controller nor cgroup v2");
            }
            UnifiedHierarchy.freeze(unified, frozen);
            return;
        }
        Path file = dir.resolve("freezer.state");
        String wanted = frozen ? "FROZEN" : "THAWED";
        for (int i = 0; i < 1000; i++) {
            if (frozen && i > 0 && i % 50 == 0) {
                CgroupFiles.write(file, "THAWED");
                sleep(10);
            }
            CgroupFiles.write(file, wanted);
            String state = readTrim(file);
            if (state.equals(wanted)) {
                return;
            }
            sleep(1);
        }
        if (frozen) {
            CgroupFiles.tryWrite(file, "THAWED");
        }
        throw new CgroupException("unable to " + (frozen ? "freeze" : "thaw") + ": " + file + " did not reach " + wanted);
    }

    /** Pids in the container's cgroup (from the first hierarchy: v1 ones all hold every task). */
    public List<Integer> pids() throws CgroupException {
        List<Integer> out = new ArrayList<>();
        for (Path dir : dirs.values()) {
            Path procs = dir.resolve("cgroup.procs");
            if (!Files.exists(procs)) {
                continue;
            }
            for (String line : CgroupFiles.read(procs).split("\n")) {
                if (!line.isBlank()) {
                    out.add(Integer.parseInt(line.trim()));
                }
            }
            return out;
        }
        return out;
    }

    /**
     * Removes the directories, retrying while exiting processes still hold them (rmdir of a
     * cgroup whose last task is exiting fails with EBUSY for a moment). After a failed create,
     * the parents it made go too, deepest first.
     */
    public void remove() throws CgroupException {
        List<String> failed = new ArrayList<>();
        for (Path dir : dirs.values()) {
            if (!removeWithRetries(dir)) {
                failed.add(dir.toString());
            }
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            if (!dirs.containsValue(created.get(i))) {
                removeWithRetries(created.get(i));
            }
        }
        if (!failed.isEmpty()) {
            throw new CgroupException("remove cgroups " + String.join(", ", failed) + ": device or resource busy");
        }
    }

    private static boolean removeWithRetries(Path dir) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (NoSuchFileException e) {
                return true;
            } catch (DirectoryNotEmptyException e) {
                return false; // a child cgroup someone else made: not ours to remove
            } catch (FileSystemException e) {
                sleep(20);
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
