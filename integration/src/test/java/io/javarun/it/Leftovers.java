package io.javarun.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a deleted container (or a failed create) must not leave on the host: its state directory,
 * a mount under its bundle, a process living in its bundle or in its cgroups, a cgroup directory
 * named after it.
 */
public final class Leftovers {
    private static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");
    private static final int CGROUP_DEPTH = 6;

    private Leftovers() {}

    /**
     * Asserts nothing of container {@code id} is left. Exiting processes and cgroup removal can
     * trail the CLI call briefly, so this polls (up to 10 s) before failing; it never passes on
     * timing alone: the failure lists what is still there.
     */
    public static void assertNone(Runtime rt, String id, Bundle bundle) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> found;
        while (true) {
            found = find(rt, id, bundle == null ? null : bundle.dir());
            if (found.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            sleep(100);
        }
        throw new AssertionError(rt.kind() + " left things behind for container " + id + ":\n  " + String.join("\n  ", found));
    }

    /** Everything of container {@code id} still on the host, described one per line. */
    public static List<String> find(Runtime rt, String id, Path bundleDir) {
        List<String> found = new ArrayList<>();
        Path stateDir = rt.root().resolve(id);
        if (Files.exists(stateDir, LinkOption.NOFOLLOW_LINKS)) {
            found.add("state directory " + stateDir);
        }
        if (bundleDir != null) {
            for (String mount : mountsUnder(bundleDir)) {
                found.add("mount " + mount);
            }
        }
        for (int pid : Procs.pids()) {
            if (!Procs.alive(pid)) {
                continue;
            }
            Path proc = Path.of("/proc", Integer.toString(pid));
            if (bundleDir != null) {
                String in = livesIn(pid, bundleDir);
                if (in != null) {
                    found.add("process " + pid + " (" + Procs.read(proc.resolve("comm")).orElse("?").strip() + ") " + in);
                }
            }
            for (String line : Procs.read(proc.resolve("cgroup")).orElse("").split("\n")) {
                String path = line.substring(line.lastIndexOf(':') + 1);
                if (List.of(path.split("/")).contains(id)) {
                    found.add("process " + pid + " is in cgroup " + line);
                }
            }
        }
        for (Path dir : cgroupDirs(id)) {
            found.add("cgroup " + dir);
        }
        return found;
    }

    /**
     * Whether process {@code pid} lives in {@code dir}: its cwd, root or executable is there, or (a
     * container after pivot_root, whose links read "/") its mount namespace's root is a bind of
     * {@code dir} or of something below it. Returns how, or null.
     */
    static String livesIn(int pid, Path dir) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        for (String link : List.of("cwd", "root", "exe")) {
            String target = Procs.readLink(proc.resolve(link)).orElse("");
            if (under(target, dir.toString())) {
                return "has its " + link + " at " + target;
            }
        }
        String ownNs = Procs.readLink(Path.of("/proc/self/ns/mnt")).orElse("");
        if (Procs.readLink(proc.resolve("ns/mnt")).orElse(ownNs).equals(ownNs)) {
            return null;
        }
        String[] key = fsLocation(dir);
        if (key == null) {
            return null;
        }
        for (String line : Procs.read(proc.resolve("mountinfo")).orElse("").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals("/") && f[2].equals(key[0]) && under(f[3], key[1])) {
                return "has its root at " + f[3] + " (device " + f[2] + ")";
            }
        }
        return null;
    }

    /** {device, path inside that filesystem} of host directory {@code dir}, as mountinfo's fields 3 and 4 show a bind of it. */
    private static String[] fsLocation(Path dir) {
        String best = null;
        String[] bestFields = null;
        for (String line : Procs.read(Path.of("/proc/self/mountinfo")).orElse("").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 4 && under(dir.toString(), f[4]) || f.length > 4 && f[4].equals("/")) {
                if (best == null || f[4].length() >= best.length()) {
                    best = f[4];
                    bestFields = f;
                }
            }
        }
        if (bestFields == null) {
            return null;
        }
        String rest = best.equals("/") ? dir.toString() : dir.toString().substring(best.length());
        String root = bestFields[3].equals("/") ? rest : bestFields[3] + rest;
        return new String[] {bestFields[2], root};
    }

    private static boolean under(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    /** Mount points (field 5 of /proc/self/mountinfo) at or below {@code dir}, deepest first. */
    public static List<String> mountsUnder(Path dir) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                String mountPoint = f[4].replace("\\040", " ");
                int dash = List.of(f).indexOf("-");
                String source = dash > 0 && dash + 2 < f.length ? f[dash + 2] : "";
                if (under(mountPoint, dir.toString()) || under(source, dir.toString())) {
                    out.add(mountPoint);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort((a, b) -> b.length() - a.length());
        return out;
    }

    /** Directories named {@code name} in any cgroup hierarchy (v1 controllers and the v2 mount), deepest first. */
    public static List<Path> cgroupDirs(String name) {
        List<Path> out = new ArrayList<>();
        walk(CGROUP_FS, name, 0, out);
        out.sort((a, b) -> b.getNameCount() - a.getNameCount());
        return out;
    }

    private static void walk(Path dir, String name, int depth, List<Path> out) {
        if (depth > CGROUP_DEPTH) {
            return;
        }
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException | UncheckedIOException e) {
            return; // removed while walking
        }
        for (Path child : children) {
            if (depth > 0 && child.getFileName().toString().equals(name)) {
                out.add(child);
            }
            walk(child, name, depth + 1, out);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
