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
import io.javarun.process.ChildProcess;
import io.javarun.process.HelperSession;
import io.javarun.process.Plan;
import io.javarun.process.StepException;
import io.javarun.seccomp.SeccompCache;
import io.javarun.seccomp.SeccompProfile;
import io.javarun.spec.ConfigException;
import io.javarun.spec.LinuxSpec;
import io.javarun.spec.NamespaceType;
import io.javarun.spec.Spec;
import io.javarun.spec.SpecParser;
import io.javarun.spec.SpecValidator;
import io.javarun.state.ContainerState;
import io.javarun.state.ProcessProbe;
import io.javarun.state.Rfc3339;
import io.javarun.state.StateException;
import io.javarun.state.StateStore;
import io.javarun.state.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The create operation: validation, state directory, cgroups, the helper's plan up to the exec
 * FIFO, hooks, state. It remembers what it made, so that a failure removes all of it again.
 */
final class ContainerCreator {
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
    private Containers.TerminalRelay relay;

    ContainerCreator(StateStore store, Consumer<String> warnings) {
        this.store = store;
        this.warnings = warnings;
    }

    /**
     * Creates the container: validates the config, makes the state directory and cgroups, has
     * the helper build the container up to the exec FIFO, and records the state. On any failure
     * everything made so far is removed again.
     */
    ContainerState create(Containers.CreateOptions o) throws OperationException {
        return create(o, null);
    }

    /**
     * As {@link #create(Containers.CreateOptions)}; with {@code terminals} (a foreground run), a
     * config asking for a terminal gets javarun's own relay, opened here after the one parse of
     * config.json and handed to the caller by {@link #relay()}.
     */
    ContainerState create(Containers.CreateOptions o, Containers.TerminalRelayFactory terminals)
            throws OperationException {
        try {
            return createWith(o, terminals);
        } catch (OperationException | RuntimeException | Error e) {
            if (relay != null) {
                relay.close();
                relay = null;
            }
            throw e;
        }
    }

    /** The relay a foreground run's create opened, or null; the caller closes it. */
    Containers.TerminalRelay relay() {
        return relay;
    }

    private ContainerState createWith(Containers.CreateOptions o, Containers.TerminalRelayFactory terminals)
            throws OperationException {
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
            if (terminals != null && spec.process().terminal() && o.consoleSocket() == null) {
                relay = Containers.openRelay("run", o.id(), terminals);
                o = o.withConsoleSocket(relay.consoleSocket());
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

    /**
     * The device cgroup rules of a config as runc makes them: the config's own, then runc's
     * always-allowed devices, then the configured device nodes. None when the config has none.
     */
    static List<LinuxSpec.DeviceRule> deviceRules(Spec spec) {
        List<LinuxSpec.DeviceRule> rules = new ArrayList<>(spec.linux().deviceRules());
        if (!rules.isEmpty()) {
            rules.addAll(ALLOWED_DEVICES);
            for (LinuxSpec.Device d : spec.linux().devices()) {
                rules.add(new LinuxSpec.DeviceRule(true, d.type().equals("u") ? "c" : d.type(),
                        d.major(), d.minor(), "rwm"));
            }
        }
        return rules;
    }

    private static void checkCreateOptions(Spec spec, Containers.CreateOptions o) throws ConfigException {
        if (!spec.linux().createsNew(NamespaceType.MOUNT)) {
            throw ConfigException.field("linux.namespaces", "a new mount namespace is required");
        }
        if (spec.process().terminal() && o.consoleSocket() == null) {
            // runc's rule: create returns at once, so only a console socket can receive the
            // terminal (a foreground run relays javarun's own instead).
            throw new ConfigException("process.terminal is true: create needs --console-socket"
                    + " to hand the terminal to");
        }
        if (!spec.process().terminal() && o.consoleSocket() != null) {
            throw new ConfigException("--console-socket given, but process.terminal is false in config.json");
        }
    }

    /** One create in progress: remembers what it made, so that a failure can undo it. */
    private final class Creation {
        private final Containers.CreateOptions o;
        private final Spec spec;
        private final Path bundle;
        private final Path rootfs;
        private final Object rawConfig;
        private ContainerCgroups cgroups;
        private int pid = -1;

        Creation(Containers.CreateOptions o, Spec spec, Path bundle, Path rootfs, Object rawConfig) {
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
                cgroups.applyDeviceRules(deviceRules(spec));
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
            Spec spec = this.spec;
            if (o.listenFds() > 0) {
                // As runc: the container learns of the activation fds it got, as its own pid 1.
                spec = spec.withProcessEnv("LISTEN_FDS=" + o.listenFds(), "LISTEN_PID=1");
            }
            if (o.notifySocket() != null) {
                try {
                    spec = NotifyRelay.prepare(spec, store.dir(id));
                } catch (IOException e) {
                    throw fail("prepare the notify socket directory: " + e.getMessage());
                }
            }
            try {
                plan = CreatePlanner.plan(new CreatePlanner.Inputs(id, spec, rootfs, fifo, o.consoleSocket(),
                        o.noPivot(), o.noNewKeyring(), cgroupDirs));
            } catch (ConfigException e) {
                throw fail(e.getMessage());
            }
            SeccompCache.Use seccompCache = SeccompCache.in(store.root()).apply(plan);
            HelperSession session;
            try {
                session = HelperSession.start(plan, o.listenFds() + o.preserveFds(), o.stdio());
            } catch (ErrnoException e) {
                throw fail("start the javarun helper: " + e.getMessage());
            }
            try (session) {
                pid = session.awaitPid();
                // The init joined its cgroups itself before it got here (CgroupJoinPlanner). The
                // resources follow the join, as runc does: a limit below what the process already
                // uses then fails with the reason (EBUSY: current usage) instead of killing it unseen.
                session.awaitSync(CreatePlanner.SYNC_CREATED);
                cgroups.applyResources(spec.linux().resources(), "linux.resources", warnings);
                if (spec.process().oomScoreAdj() != null) {
                    setOomScoreAdj(pid, spec.process().oomScoreAdj());
                }
                ContainerState state = new ContainerState(spec.ociVersion(), id, pid, ProcessProbe.startTime(pid),
                        bundle.toString(), rootfs.toString(), Rfc3339.now(), "",
                        spec.annotations(), pathsOf(cgroups), rawConfig);
                if (!spec.hooks().prestart().isEmpty() || !spec.hooks().createRuntime().isEmpty()) {
                    String creating = Containers.stateJson(state, Status.CREATING);
                    HookRunner.runAll("prestart", spec.hooks().prestart(), creating);
                    HookRunner.runAll("createRuntime", spec.hooks().createRuntime(), creating);
                }
                SeccompProfile seccomp = spec.linux().seccomp();
                if (seccomp != null) {
                    // As runc: the agent learns of the init while it is still "creating".
                    HelperSession.SeccompReports reports = new ContainerView(state, Status.CREATING)
                            .seccompHandOff(seccomp, pid, warnings);
                    session.seccompReports(reports);
                    seccompCache.warnCached(reports);
                }
                if (spec.hooks().createContainer().isEmpty() && spec.hooks().startContainer().isEmpty()) {
                    session.go();
                } else {
                    // As runc: createContainer hooks see "creating", startContainer ones "created".
                    session.go(Containers.stateJson(state, Status.CREATING), Containers.stateJson(state, Status.CREATED));
                }
                session.awaitReady();
                seccompCache.storeFrom(session);
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
                ChildProcess.killAndReap(pid);
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
}
