package io.javarun.container;

import io.javarun.cgroups.CgroupException;
import io.javarun.cgroups.CgroupLayout;
import io.javarun.cgroups.ContainerCgroups;
import io.javarun.cgroups.Hierarchy;
import io.javarun.hooks.HookRunner;
import io.javarun.json.Json;
import io.javarun.json.JsonException;
import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.process.HelperSession;
import io.javarun.process.Plan;
import io.javarun.process.StepException;
import io.javarun.spec.ConfigException;
import io.javarun.spec.Hooks;
import io.javarun.spec.LinuxSpec;
import io.javarun.spec.NamespaceType;
import io.javarun.spec.Spec;
import io.javarun.spec.SpecParser;
import io.javarun.spec.SpecValidator;
import io.javarun.state.ContainerState;
import io.javarun.state.ProcessProbe;
import io.javarun.state.StateException;
import io.javarun.state.StateStore;
import io.javarun.state.Status;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The container lifecycle, one method per operation: what the CLI's commands (and later the
 * shim's task service) call. All behaviour lives here, once.
 */
public final class Containers {
    private static final int SIGKILL = 9;

    /** runc's extra device cgroup rules, allowed after the config's own (specconv.AllowedDevices). */
    private static final List<LinuxSpec.DeviceRule> ALLOWED_DEVICES = List.of(
            new LinuxSpec.DeviceRule(true, "c", null, null, "m"),
            new LinuxSpec.DeviceRule(true, "b", null, null, "m"),
            new LinuxSpec.DeviceRule(true, "c", 1L, 3L, "rwm"),
            new LinuxSpec.DeviceRule(true, "c", 1L, 8L, "rwm"),
            new LinuxSpec.DeviceRule(true, "c", 1L, 7L, "rwm"),
            new LinuxSpec.DeviceRule(true, "c", 5L, 0L, "rwm"),
            new LinuxSpec.DeviceRule(true, "c", 1L, 5L, "rwm"),
            new LinuxSpec.DeviceRule(true, "c", 1L, 9L, "rwm"),
            new LinuxSpec.DeviceRule(true, "c", 5L, 1L, "rwm"),
            new LinuxSpec.DeviceRule(true, "c", 136L, null, "rwm"),
            new LinuxSpec.DeviceRule(true, "c", 5L, 2L, "rwm"),
            new LinuxSpec.DeviceRule(true, "c", 10L, 200L, "rwm"));

    private final StateStore store;
    private final Consumer<String> warnings;

    public Containers(StateStore store, Consumer<String> warnings) {
        this.store = store;
        this.warnings = warnings;
    }

    /** Options of create and run, as runc's flags name them. */
    public record CreateOptions(String id, Path bundle, Path pidFile, String consoleSocket, boolean noPivot,
            boolean noNewKeyring, int preserveFds) {
    }

    // ---------------------------------------------------------------- create

    /**
     * Creates the container: validates the config, makes the state directory and cgroups, has
     * the helper build the container up to the exec FIFO, and records the state. On any failure
     * everything made so far is removed again.
     */
    public ContainerState create(CreateOptions o) throws OperationException {
        final String op = "create";
        ContainerId.validate(op, o.id());
        Path bundle = o.bundle().toAbsolutePath().normalize();
        Spec spec;
        Object rawConfig;
        Path configFile = bundle.resolve("config.json");
        String text;
        try {
            text = Files.readString(configFile);
        } catch (NoSuchFileException e) {
            throw new OperationException(op, o.id(), "open " + configFile + ": no such file or directory");
        } catch (IOException e) {
            throw new OperationException(op, o.id(), "read " + configFile + ": " + e.getMessage());
        }
        Path rootfs;
        try {
            rawConfig = Json.parse(text);
            spec = SpecParser.fromJson(rawConfig).withBindSourcesIn(bundle);
            rootfs = spec.root() == null ? bundle.resolve("rootfs") : bundle.resolve(spec.root().path()).normalize();
            for (String w : SpecValidator.validate(spec, rootfs)) {
                warnings.accept(w);
            }
            checkCreateOptions(spec, o);
        } catch (ConfigException e) {
            throw new OperationException(op, o.id(), e.getMessage());
        } catch (JsonException e) {
            throw new OperationException(op, o.id(), "config.json: invalid JSON: " + e.getMessage());
        }
        try {
            store.createDir(o.id());
        } catch (StateException e) {
            throw new OperationException(op, o.id(), e.getMessage());
        }
        Creation c = new Creation(o, spec, bundle, rootfs, rawConfig);
        try {
            return c.run();
        } catch (OperationException e) {
            c.rollback();
            throw e;
        } catch (RuntimeException | Error e) {
            c.rollback();
            throw e;
        }
    }

    private static void checkCreateOptions(Spec spec, CreateOptions o) throws ConfigException {
        if (!spec.linux().createsNew(NamespaceType.MOUNT)) {
            throw ConfigException.field("linux.namespaces", "a new mount namespace is required");
        }
        if (spec.process().terminal() && o.consoleSocket() == null) {
            throw new ConfigException("process.terminal is true: --console-socket is required"
                    + " (a terminal of javarun's own is not supported yet)");
        }
        if (!spec.process().terminal() && o.consoleSocket() != null) {
            throw new ConfigException("--console-socket given, but process.terminal is false in config.json");
        }
    }

    /** One create in progress: remembers what it made, so that a failure can undo it. */
    private final class Creation {
        private final CreateOptions o;
        private final Spec spec;
        private final Path bundle;
        private final Path rootfs;
        private final Object rawConfig;
        private ContainerCgroups cgroups;
        private int pid = -1;

        Creation(CreateOptions o, Spec spec, Path bundle, Path rootfs, Object rawConfig) {
            this.o = o;
            this.spec = spec;
            this.bundle = bundle;
            this.rootfs = rootfs;
            this.rawConfig = rawConfig;
        }

        ContainerState run() throws OperationException {
            String id = o.id();
            Map<Hierarchy, Path> cgroupDirs = new LinkedHashMap<>();
            try {
                CgroupLayout layout = CgroupLayout.detect();
                cgroups = ContainerCgroups.plan(layout, spec.linux().cgroupsPath(), id);
                cgroups.create();
                List<LinuxSpec.DeviceRule> rules = new ArrayList<>(spec.linux().deviceRules());
                if (!rules.isEmpty()) {
                    rules.addAll(ALLOWED_DEVICES);
                    for (LinuxSpec.Device d : spec.linux().devices()) {
                        rules.add(new LinuxSpec.DeviceRule(true, d.type().equals("u") ? "c" : d.type(),
                                d.major(), d.minor(), "rwm"));
                    }
                }
                cgroups.applyDeviceRules(rules);
                for (Hierarchy h : layout.hierarchies()) {
                    cgroupDirs.put(h, cgroups.dirs().get(h.name()));
                }
            } catch (IOException e) {
                throw fail("read the host's cgroup mounts: " + e.getMessage());
            } catch (CgroupException e) {
                throw fail(e.getMessage());
            }
            Path fifo = store.execFifo(id);
            try {
                LinuxNative.load();
                LinuxNative.mkfifo(fifo.toString(), 0622);
                // The init opens it after switching to the container's user: as runc does, the
                // FIFO is writable by others (mkfifo applied our umask) and owned by the
                // container's root.
                Files.setPosixFilePermissions(fifo, PosixFilePermissions.fromString("rw--w--w-"));
                Files.setAttribute(fifo, "unix:uid", (int) hostId(spec.linux().uidMappings()));
                Files.setAttribute(fifo, "unix:gid", (int) hostId(spec.linux().gidMappings()));
            } catch (ErrnoException e) {
                throw fail("create exec FIFO " + fifo + ": " + e.reason().toLowerCase());
            } catch (IOException e) {
                throw fail("set owner and mode of exec FIFO " + fifo + ": " + e.getMessage());
            }
            Plan plan;
            try {
                plan = CreatePlanner.plan(new CreatePlanner.Inputs(id, spec, rootfs, fifo, o.consoleSocket(),
                        o.noPivot(), o.noNewKeyring(), cgroupDirs));
            } catch (ConfigException e) {
                throw fail(e.getMessage());
            }
            HelperSession session;
            try {
                session = HelperSession.start(plan, o.preserveFds());
            } catch (ErrnoException e) {
                throw fail("start the javarun helper: " + e.getMessage());
            }
            try (session) {
                pid = session.awaitPid();
                session.awaitSync(CreatePlanner.SYNC_CREATED);
                cgroups.join(pid);
                if (spec.process().oomScoreAdj() != null) {
                    setOomScoreAdj(pid, spec.process().oomScoreAdj());
                }
                ContainerState state = new ContainerState(spec.ociVersion(), id, pid, ProcessProbe.startTime(pid),
                        bundle.toString(), rootfs.toString(), Instant.now().toString(), "",
                        spec.annotations(), pathsOf(cgroups), rawConfig);
                if (!spec.hooks().prestart().isEmpty() || !spec.hooks().createRuntime().isEmpty()) {
                    String creating = stateJson(state, Status.CREATING);
                    HookRunner.runAll("prestart", spec.hooks().prestart(), creating);
                    HookRunner.runAll("createRuntime", spec.hooks().createRuntime(), creating);
                }
                session.go();
                session.awaitReady();
                store.write(state);
                if (o.pidFile() != null) {
                    StateStore.writeAtomically(o.pidFile().toAbsolutePath(), Integer.toString(pid));
                }
                return state;
            } catch (StepException e) {
                throw new OperationException("create", id, e.getMessage(), e.detail());
            } catch (CgroupException | StateException | HookRunner.HookException e) {
                throw fail(e.getMessage());
            } catch (ErrnoException e) {
                throw fail("talk to the container process: " + e.getMessage());
            }
        }

        private OperationException fail(String cause) {
            return new OperationException("create", o.id(), cause);
        }

        /** Undoes a failed create: the process, its cgroups, the state directory. */
        void rollback() {
            if (pid > 0) {
                killAndReap(pid);
            }
            if (cgroups != null) {
                try {
                    cgroups.remove();
                } catch (CgroupException e) {
                    warnings.accept("create " + o.id() + ": cleanup: " + e.getMessage());
                }
            }
            try {
                store.remove(o.id());
            } catch (StateException e) {
                warnings.accept("create " + o.id() + ": cleanup: " + e.getMessage());
            }
        }
    }

    /** The host id that container id 0 maps to (0 without a user namespace). */
    private static long hostId(List<LinuxSpec.IdMapping> mappings) {
        for (LinuxSpec.IdMapping m : mappings) {
            if (m.containerId() == 0) {
                return m.hostId();
            }
        }
        return 0;
    }

    private static void killAndReap(int pid) {
        try {
            LinuxNative.kill(pid, SIGKILL);
            LinuxNative.waitpid(pid, false);
        } catch (ErrnoException e) {
            // Already gone (ESRCH) or not our child (ECHILD): nothing left to collect.
        }
    }

    /**
     * oom_score_adj is set from the host, before the process runs anything of its own. Lowering
     * it needs CAP_SYS_RESOURCE, which says so in the error.
     */
    private static void setOomScoreAdj(int pid, int value) throws CgroupException {
        Path file = Path.of("/proc/" + pid + "/oom_score_adj");
        try {
            Files.writeString(file, Integer.toString(value));
        } catch (IOException e) {
            String current = "?";
            try {
                current = Files.readString(file).trim();
            } catch (IOException ignored) {
                // Only for the message.
            }
            throw new CgroupException("set process.oomScoreAdj to " + value + " (now " + current + "): "
                    + "permission denied (lowering it needs CAP_SYS_RESOURCE)");
        }
    }

    private static Map<String, String> pathsOf(ContainerCgroups cgroups) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : cgroups.dirs().entrySet()) {
            out.put(e.getKey(), e.getValue().toString());
        }
        return out;
    }

    // ---------------------------------------------------------------- start

    /** Releases a created container's init from the exec FIFO, then runs the poststart hooks. */
    public void start(String id) throws OperationException {
        final String op = "start";
        ContainerId.validate(op, id);
        try (AutoCloseable lock = store.lock(id)) {
            ContainerState state = store.read(id);
            Status status = status(state);
            if (status == Status.STOPPED) {
                throw new OperationException(op, id, "cannot start a container that has stopped");
            }
            if (status != Status.CREATED) {
                throw new OperationException(op, id, "cannot start an already running container");
            }
            releaseFifo(id, state);
            Hooks hooks = hooksOf(state);
            try {
                if (!hooks.poststart().isEmpty()) {
                    HookRunner.runAll("poststart", hooks.poststart(), stateJson(state, Status.RUNNING));
                }
            } catch (HookRunner.HookException e) {
                // runc: a failing poststart hook stops the container and fails start.
                signal(state, SIGKILL);
                throw new OperationException(op, id, e.getMessage());
            }
        } catch (StateException e) {
            throw new OperationException(op, id, e.getMessage());
        } catch (OperationException e) {
            throw e;
        } catch (Exception e) {
            throw new OperationException(op, id, e.toString());
        }
    }

    /**
     * Opens the FIFO for reading, which lets the init's blocked open for writing return; the init
     * then writes one byte and execs. The open blocks while there is no writer, so it runs on a
     * thread while this one watches that the init is still alive.
     */
    private void releaseFifo(String id, ContainerState state) throws OperationException {
        Path fifo = store.execFifo(id);
        Exception[] failure = new Exception[1];
        Thread reader = new Thread("exec-fifo") {
            @Override
            public void run() {
                try (InputStream in = new FileInputStream(fifo.toFile())) {
                    // Not readAllBytes: FileInputStream's seeks, and a FIFO cannot seek.
                    byte[] buf = new byte[16];
                    while (in.read(buf) > 0) {
                        continue;
                    }
                } catch (IOException e) {
                    failure[0] = e;
                }
            }
        };
        reader.setDaemon(true);
        reader.start();
        try {
            while (reader.isAlive()) {
                reader.join(50);
                if (reader.isAlive() && !ProcessProbe.isSame(state.pid(), state.pidStartTime())) {
                    // Unblock our own reader by being the writer it waits for, then report.
                    try (FileOutputStream unblock = new FileOutputStream(fifo.toFile())) {
                        unblock.flush();
                    }
                    reader.join();
                    throw new OperationException("start", id, "container init exited before it could be started");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationException("start", id, "interrupted");
        } catch (IOException e) {
            throw new OperationException("start", id, "open exec FIFO " + fifo + ": " + e.getMessage());
        }
        if (failure[0] != null) {
            throw new OperationException("start", id, "open exec FIFO " + fifo + ": " + failure[0].getMessage());
        }
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            throw new OperationException("start", id, "remove exec FIFO " + fifo + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- state and list

    public ContainerView state(String id) throws OperationException {
        ContainerId.validate("state", id);
        try {
            ContainerState s = store.read(id);
            return new ContainerView(s, status(s));
        } catch (StateException e) {
            throw new OperationException("state", id, e.getMessage());
        }
    }

    /** Every container under the root, in id order; unreadable ones are skipped with a warning. */
    public List<ContainerView> list() throws OperationException {
        List<ContainerView> out = new ArrayList<>();
        try {
            for (String id : store.ids()) {
                try {
                    ContainerState s = store.read(id);
                    out.add(new ContainerView(s, status(s)));
                } catch (StateException e) {
                    warnings.accept("list: " + id + ": " + e.getMessage());
                }
            }
        } catch (StateException e) {
            throw new OperationException("list", "", e.getMessage());
        }
        return out;
    }

    /**
     * runc's rule: alive (same pid and start time) with the exec FIFO still there is created,
     * alive without it is running, otherwise stopped.
     */
    private Status status(ContainerState s) {
        if (!ProcessProbe.isSame(s.pid(), s.pidStartTime())) {
            return Status.STOPPED;
        }
        return Files.exists(store.execFifo(s.id())) ? Status.CREATED : Status.RUNNING;
    }

    // ---------------------------------------------------------------- kill

    public void kill(String id, int signal, boolean all) throws OperationException {
        final String op = "kill";
        ContainerId.validate(op, id);
        try {
            ContainerState s = store.read(id);
            if (all) {
                ContainerCgroups cg = cgroupsOf(s);
                for (int pid : cg.pids()) {
                    try {
                        LinuxNative.kill(pid, signal);
                    } catch (ErrnoException e) {
                        // A process that exited meanwhile: the others still get the signal.
                    }
                }
                return;
            }
            if (status(s) == Status.STOPPED) {
                throw new OperationException(op, id, "container not running");
            }
            signal(s, signal);
        } catch (StateException | CgroupException e) {
            throw new OperationException(op, id, e.getMessage());
        } catch (ErrnoException e) {
            throw new OperationException(op, id, "send signal " + signal + ": " + e.reason().toLowerCase());
        }
    }

    private static void signal(ContainerState s, int signal) throws ErrnoException {
        LinuxNative.load();
        if (ProcessProbe.isSame(s.pid(), s.pidStartTime())) {
            LinuxNative.kill(s.pid(), signal);
        }
    }

    // ---------------------------------------------------------------- delete

    /**
     * Deletes a container: a created one is killed first (as runc does), a running one only with
     * force. Removes its processes, cgroups and state, then runs the poststop hooks.
     */
    public void delete(String id, boolean force) throws OperationException {
        final String op = "delete";
        ContainerId.validate(op, id);
        if (!store.exists(id)) {
            throw new OperationException(op, id, "container does not exist");
        }
        try (AutoCloseable lock = store.lock(id)) {
            ContainerState s;
            try {
                s = store.read(id);
            } catch (StateException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
                // A directory without state.json: a create that died before writing it.
                store.remove(id);
                return;
            }
            Status status = status(s);
            if ((status == Status.RUNNING || status == Status.PAUSED) && !force) {
                throw new OperationException(op, id, "cannot delete container " + id + " that is not stopped: "
                        + status.text() + " (use --force)");
            }
            destroy(s);
        } catch (OperationException e) {
            throw e;
        } catch (StateException e) {
            throw new OperationException(op, id, e.getMessage());
        } catch (Exception e) {
            throw new OperationException(op, id, e.toString());
        }
    }

    /** Kills what is left, removes cgroups and state, runs poststop hooks (their failure only warns). */
    private void destroy(ContainerState s) throws StateException, OperationException {
        ContainerCgroups cg = cgroupsOf(s);
        try {
            if (ProcessProbe.isSame(s.pid(), s.pidStartTime())) {
                signal(s, SIGKILL);
            }
            for (int pid : cg.pids()) {
                LinuxNative.kill(pid, SIGKILL);
            }
        } catch (ErrnoException | CgroupException e) {
            // A process that exited meanwhile: what matters is that none is left, checked below.
        }
        awaitExit(s);
        try {
            cg.remove();
        } catch (CgroupException e) {
            throw new OperationException("delete", s.id(), e.getMessage());
        }
        Hooks hooks = hooksOf(s);
        store.remove(s.id());
        List<Hooks.Hook> poststop = hooks.poststop();
        for (int i = 0; i < poststop.size(); i++) {
            try {
                HookRunner.run("poststop hook #" + i, poststop.get(i), stateJson(s, Status.STOPPED));
            } catch (HookRunner.HookException e) {
                warnings.accept("delete " + s.id() + ": " + e.getMessage());
            }
        }
    }

    /** Waits (up to 10 s) until the init is gone; a zombie counts as gone. */
    private static void awaitExit(ContainerState s) {
        for (int i = 0; i < 1000 && ProcessProbe.isSame(s.pid(), s.pidStartTime()); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ContainerCgroups cgroupsOf(ContainerState s) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : s.cgroupPaths().entrySet()) {
            dirs.put(e.getKey(), Path.of(e.getValue()));
        }
        return new ContainerCgroups(dirs);
    }

    /**
     * The hooks of the config stored at create time. Most configs have none, and parsing the
     * whole stored config again is then work a CLI call need not do.
     */
    private static Hooks hooksOf(ContainerState s) {
        if (!(s.config() instanceof Map<?, ?> config) || config.get("hooks") == null) {
            return Hooks.NONE;
        }
        try {
            return SpecParser.fromJson(s.config()).hooks();
        } catch (ConfigException e) {
            // It was valid at create time; a stored config that no longer parses has no hooks to run.
            return Hooks.NONE;
        }
    }

    private static String stateJson(ContainerState s, Status status) {
        return Json.write(new ContainerView(s, status).toJson(""));
    }

    // ---------------------------------------------------------------- run

    /**
     * create + start; then, unless detached, waits for the init (a child of this process, thanks
     * to CLONE_PARENT), forwarding signals to it, deletes the container unless kept, and returns
     * the exit code a shell would show (128+N for a signal).
     */
    public int run(CreateOptions o, boolean detach, boolean keep, SignalForwarder forwarder) throws OperationException {
        ContainerState s = create(o);
        try {
            start(o.id());
        } catch (OperationException e) {
            quietDelete(o.id());
            throw e;
        }
        if (detach) {
            return 0;
        }
        forwarder.forwardTo(s.pid());
        int code;
        try {
            int status = LinuxNative.waitpid(s.pid(), false);
            code = LinuxNative.exited(status) ? LinuxNative.exitCode(status) : 128 + LinuxNative.termSignal(status);
        } catch (ErrnoException e) {
            throw new OperationException("run", o.id(), "wait for the container process: " + e.getMessage());
        } finally {
            forwarder.stop();
        }
        if (!keep) {
            delete(o.id(), true);
        }
        return code;
    }

    private void quietDelete(String id) {
        try {
            delete(id, true);
        } catch (OperationException e) {
            warnings.accept(e.getMessage());
        }
    }

    /** Forwards the signals the runtime receives to the container's init while `run` waits. */
    public interface SignalForwarder {
        void forwardTo(int pid);

        void stop();
    }
}
