package io.javarun.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One test's view of one runtime: its private --root, its bundles and host dirs under one
 * directory, and everything it must undo. {@link #close()} force-deletes every container id the
 * test made up, kills the pids it recorded (if still the same process), removes cgroups named
 * after its ids, unmounts anything left under its directory and removes the directory.
 */
public final class Harness implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final AtomicInteger WRAPPED = new AtomicInteger();

    private final Runtime rt;
    private final Path dir;
    private final Set<String> ids = new LinkedHashSet<>();
    private final Map<Integer, Long> pids = new LinkedHashMap<>();
    private final List<Runtime.Call> calls = new ArrayList<>();
    private final Set<String> cgroupParents = new LinkedHashSet<>();
    private int bundles;

    Harness(Kind kind, String testName) {
        String safe = testName.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        this.dir = Repo.runDir().resolve(String.format("%04d-%s-%s", SEQ.incrementAndGet(), kind, safe));
        try {
            Procs.run(Path.of("/"), "rm", "-rf", "--one-file-system", dir.toString());
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.rt = new Runtime(kind, dir.resolve("root"), dir.resolve("io"));
    }

    public Runtime rt() {
        return rt;
    }

    public Path dir() {
        return dir;
    }

    /** A fresh container id, cleaned up after the test: {@code it-<hint>-<random>}. */
    public String newId(String hint) {
        String id = "it-" + hint + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        ids.add(id);
        return id;
    }

    /** A new bundle (busybox rootfs, runc's template config with terminal false). */
    public Bundle newBundle() {
        return Bundle.create(dir.resolve("bundles"), "b" + (++bundles));
    }

    /** A new empty host directory, e.g. to bind-mount into a container. */
    public Path hostDir(String name) {
        Path d = dir.resolve("host").resolve(name);
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /**
     * A cgroup directory name this test made a parent of its containers' cgroups (through
     * linux.cgroupsPath): removed at cleanup where empty (runc leaves such parents behind).
     */
    public void cgroupParentToRemove(String name) {
        cgroupParents.add(name);
    }

    /** Records a pid (a container process) to kill at cleanup if it still runs. */
    public void recordPid(int pid) {
        Procs.startTime(pid).ifPresent(t -> pids.put(pid, t));
    }

    // ---- runtime calls ----

    public Result exec(String... args) {
        return rt.exec(args);
    }

    public Result create(Bundle b, String id, String... flags) {
        b.write();
        return rt.exec(concat(List.of("create", "--bundle", b.dir().toString()), flags, id));
    }

    /** {@code run --bundle B [flags] id}: foreground unless flags hold -d. */
    public Result run(Bundle b, String id, String... flags) {
        b.write();
        return rt.exec(concat(List.of("run", "--bundle", b.dir().toString()), flags, id));
    }

    /** A detached container running {@code sleep 1000} from {@code b}: its id (its pid recorded for cleanup). */
    public String running(Bundle b, String hint) {
        String id = newId(hint);
        b.args("sleep", "1000");
        run(b, id, "-d").ok();
        recordPid(state(id).get("pid").asInt());
        return id;
    }

    /** Starts a foreground {@code run} and returns without waiting for it. */
    public Runtime.Call runAsync(Bundle b, String id, String... flags) {
        b.write();
        Runtime.Call call = rt.startCall(concat(List.of("run", "--bundle", b.dir().toString()), flags, id));
        calls.add(call);
        return call;
    }

    /**
     * Starts {@code wrapper... <runtime> --root ROOT args...} and returns without waiting. The
     * wrapper must exec the runtime (a shell that opens extra fds first, {@code env} resetting
     * signal dispositions, ...), which so inherits what it set up; stdin is /dev/null, stdout and
     * stderr go to files. Killed at cleanup if still running.
     */
    public Runtime.Call startWrapped(List<String> wrapper, String... args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(Runtime.baseCommand(rt.kind()));
        cmd.add("--root");
        cmd.add(rt.root().toString());
        cmd.addAll(List.of(args));
        Path io = dir.resolve("io");
        int n = WRAPPED.incrementAndGet();
        Path out = io.resolve("wrapped-" + n + ".out");
        Path err = io.resolve("wrapped-" + n + ".err");
        try {
            Files.createDirectories(io);
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            Runtime.Call call = new Runtime.Call(cmd, p, out, err);
            calls.add(call);
            return call;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** Runs {@code sh -c script} in a new container from {@code b} (foreground) and returns the result. */
    public Result sh(Bundle b, String script) {
        b.sh(script);
        return run(b, newId("sh"));
    }

    public Result start(String id) {
        return rt.exec("start", id);
    }

    public Result kill(String id, String... signal) {
        return rt.exec(concat(List.of("kill"), new String[] {id}, signal.length == 0 ? null : signal[0]));
    }

    public Result delete(String... args) {
        return rt.exec(concat(List.of("delete"), args, null));
    }

    /** {@code state id}, which must succeed; the JSON is returned. */
    public JsonNode state(String id) {
        Result r = rt.exec("state", id).ok();
        JsonNode s = Json.parse(r.stdout());
        if (s.path("pid").asInt() > 0) {
            recordPid(s.get("pid").asInt());
        }
        return s;
    }

    public String status(String id) {
        return state(id).path("status").asText();
    }

    /**
     * Polls {@code state} until the status is {@code wanted} (containers start and stop on their own
     * time; a container being created by a concurrent call may not exist yet).
     */
    public void awaitStatus(String id, String wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Result r = rt.exec("state", id);
            String last = r.exitCode() == 0 ? Json.parse(r.stdout()).path("status").asText() : "(state failed: " + r.stderr().strip() + ")";
            if (last.equals(wanted)) {
                state(id);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("container " + id + " still " + last + " after 30s, expected " + wanted);
            }
            Leftovers.sleep(50);
        }
    }

    /** Polls until {@code file} exists (a container writes it on its own time). */
    public static void awaitFile(Path file) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not appear within 30s");
            }
            Leftovers.sleep(50);
        }
    }

    public void assertNothingLeft(String id, Bundle b) {
        Leftovers.assertNone(rt, id, b);
    }

    private static String[] concat(List<String> head, String[] middle, String last) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(middle));
        if (last != null) {
            all.add(last);
        }
        return all.toArray(String[]::new);
    }

    // ---- cleanup ----

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (String id : ids) {
            if (Files.exists(rt.root().resolve(id))) {
                Result r = rt.exec("delete", "--force", id);
                if (r.exitCode() != 0) {
                    problems.add("delete --force " + id + ": " + r.stderr().strip());
                }
            }
        }
        for (Runtime.Call call : calls) {
            call.kill();
        }
        pids.forEach(Procs::killIfSame);
        killProcessesIn(dir);
        for (String id : ids) {
            for (Path cg : Leftovers.cgroupDirs(id)) {
                killCgroup(cg);
                try {
                    Files.deleteIfExists(cg);
                } catch (IOException e) {
                    problems.add("rmdir " + cg + ": " + e);
                }
            }
        }
        for (String parent : cgroupParents) {
            for (Path cg : Leftovers.cgroupDirs(parent)) {
                try {
                    Files.deleteIfExists(cg);
                } catch (IOException e) {
                    // not empty: another run's containers are in it
                }
            }
        }
        for (String mount : Leftovers.mountsUnder(dir)) {
            Procs.Out out = Procs.runUnchecked(Path.of("/"), "umount", "-l", mount);
            if (out.exitCode() != 0) {
                problems.add("umount -l " + mount + ": " + out.text().strip());
            }
        }
        if (Leftovers.mountsUnder(dir).isEmpty()) {
            Procs.Out out = Procs.runUnchecked(Path.of("/"), "rm", "-rf", "--one-file-system", dir.toString());
            if (out.exitCode() != 0) {
                problems.add("rm -rf " + dir + ": " + out.text().strip());
            }
        } else {
            problems.add("mounts left under " + dir + ", not removed");
        }
        if (!problems.isEmpty()) {
            System.err.println("cleanup of " + dir + ": " + String.join("; ", problems));
        }
    }

    /** SIGKILLs processes living in {@code dir} (see {@link Leftovers#livesIn}): only containers of this test. */
    private static void killProcessesIn(Path dir) {
        for (int pid : Procs.pids()) {
            if (Procs.alive(pid) && Leftovers.livesIn(pid, dir) != null) {
                Procs.startTime(pid).ifPresent(t -> Procs.killIfSame(pid, t));
            }
        }
    }

    /** SIGKILLs the processes in a cgroup named after one of this test's container ids. */
    private static void killCgroup(Path cg) {
        for (int attempt = 0; attempt < 50; attempt++) {
            String procs = Procs.read(cg.resolve("cgroup.procs")).orElse("").strip();
            if (procs.isEmpty()) {
                return;
            }
            for (String pid : procs.split("\\s+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
            Leftovers.sleep(100);
        }
    }
}
