package io.javarun.cgroups;

import io.javarun.spec.LinuxSpec;
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

/**
 * The cgroup directories of one container, one per hierarchy, following runc's cgroupfs rules:
 * an absolute cgroupsPath is taken below each hierarchy's mount; a relative one (and the default,
 * the container id) below the cgroup the caller is in.
 */
public final class ContainerCgroups {
    /** Hierarchy name ("cpu,cpuacct", "name=systemd", "" for v2) to directory. */
    private final Map<String, Path> dirs;

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
        if (cgroupsPath.contains(":")) {
            throw new CgroupException("linux.cgroupsPath \"" + cgroupsPath
                    + "\": the slice:prefix:name form is not supported yet");
        }
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
        return new ContainerCgroups(dirs);
    }

    /** Creates the directories (existing ones are joined as they are). */
    public void create() throws CgroupException {
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            Path dir = e.getValue();
            try {
                Files.createDirectories(dir);
            } catch (IOException ex) {
                throw new CgroupException("create cgroup " + dir + ": " + CgroupFiles.reason(ex));
            }
            if (List.of(e.getKey().split(",")).contains("cpuset")) {
                inheritCpuset(dir);
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

    /** Moves a process into every one of the container's cgroups. */
    public void join(int pid) throws CgroupException {
        for (Path dir : dirs.values()) {
            CgroupFiles.write(dir.resolve("cgroup.procs"), Integer.toString(pid));
        }
    }

    /**
     * Writes device rules to the v1 devices controller, in order (a deny-all first resets the
     * list). On cgroup v2 the rules need an eBPF program: refused until that work lands.
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
            throw new CgroupException("linux.resources.devices: no v1 devices controller on this host"
                    + " (the cgroup v2 device filter is not supported yet)");
        }
        for (LinuxSpec.DeviceRule r : rules) {
            String major = r.major() == null || r.major() < 0 ? "*" : Long.toString(r.major());
            String minor = r.minor() == null || r.minor() < 0 ? "*" : Long.toString(r.minor());
            String value = r.type().equals("a") ? "a" : r.type() + " " + major + ":" + minor + " " + r.access();
            CgroupFiles.write(devices.resolve(r.allow() ? "devices.allow" : "devices.deny"), value);
        }
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
     * cgroup whose last task is exiting fails with EBUSY for a moment).
     */
    public void remove() throws CgroupException {
        List<String> failed = new ArrayList<>();
        for (Path dir : dirs.values()) {
            if (!removeWithRetries(dir)) {
                failed.add(dir.toString());
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
