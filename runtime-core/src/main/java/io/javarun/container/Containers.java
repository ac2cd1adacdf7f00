package io.javarun.container;

import io.javarun.cgroups.CgroupException;
import io.javarun.cgroups.ContainerCgroups;
import io.javarun.hooks.HookRunner;
import io.javarun.json.Json;
import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.process.ChildProcess;
import io.javarun.process.Stdio;
import io.javarun.spec.ConfigException;
import io.javarun.spec.Hooks;
import io.javarun.spec.SpecParser;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The container lifecycle, one method per operation: what the CLI's commands (and later the
 * shim's task service) call. All behaviour lives here, once.
 */
public final class Containers {
    private static final int SIGKILL = 9;


    private final StateStore store;
    private final Consumer<String> warnings;

    public Containers(StateStore store, Consumer<String> warnings) {
        this.store = store;
        this.warnings = warnings;
    }

    /**
     * Options of create and run, as runc's flags name them. {@code listenFds}: systemd socket
     * activation fds (LISTEN_FDS) the caller was given; they come first, from fd 3, and the
     * {@code preserveFds} ones follow.
     */
    public record CreateOptions(String id, Path bundle, Path pidFile, String consoleSocket, boolean noPivot,
            boolean noNewKeyring, int preserveFds, int listenFds, String notifySocket, Stdio stdio) {
        /** The CLI's options: the container gets javarun's own stdio. */
        public CreateOptions(String id, Path bundle, Path pidFile, String consoleSocket, boolean noPivot,
                boolean noNewKeyring, int preserveFds, int listenFds, String notifySocket) {
            this(id, bundle, pidFile, consoleSocket, noPivot, noNewKeyring, preserveFds, listenFds, notifySocket,
                    Stdio.INHERIT);
        }

        CreateOptions withConsoleSocket(String path) {
            return new CreateOptions(id, bundle, pidFile, path, noPivot, noNewKeyring, preserveFds, listenFds,
                    notifySocket, stdio);
        }
    }

    // ---------------------------------------------------------------- create

    /**
     * Creates the container: validates the config, makes the state directory and cgroups, has
     * the helper build the container up to the exec FIFO, and records the state. On any failure
     * everything made so far is removed again.
     */
    public ContainerState create(CreateOptions o) throws OperationException {
        return new ContainerCreator(store, warnings).create(o);
    }

    // ---------------------------------------------------------------- start

    /**
     * Releases a created container's init from the exec FIFO, then runs the poststart hooks. With
     * {@code notifySocket} (the caller's NOTIFY_SOCKET, or null) it first waits until the
     * container is ready, relaying its sd_notify messages, as runc does.
     */
    public void start(String id, String notifySocket) throws OperationException {
        final String op = "start";
        ContainerId.validate(op, id);
        try (AutoCloseable lock = store.lock(id)) {
            ContainerState state = store.read(id);
            Status status = status(state);
            if (status == Status.STOPPED) {
                throw new OperationException(op, id, "cannot start a container that has stopped");
            }
            if (status == Status.PAUSED) {
                throw new OperationException(op, id, "cannot start a container in the paused state");
            }
            if (status != Status.CREATED) {
                throw new OperationException(op, id, "cannot start an already running container");
            }
            int notifyFd = notifySocket == null ? -1 : NotifyRelay.bind(store.dir(id));
            try {
                releaseFifo(id, state);
            } catch (OperationException e) {
                if (notifyFd >= 0) {
                    LinuxNative.close(notifyFd);
                }
                throw e;
            }
            if (notifyFd >= 0) {
                NotifyRelay.relay(notifyFd, notifySocket, state.pid(), state.pidStartTime());
            }
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
        // runc checks the freezer first: a frozen created container is paused too.
        String freezer = s.cgroupPaths().get("freezer");
        if (freezer != null) {
            if (isFrozen(Path.of(freezer, "freezer.state"), "FROZEN")) {
                return Status.PAUSED;
            }
        } else if (s.cgroupPaths().size() == 1 && s.cgroupPaths().get("") != null
                && isFrozen(Path.of(s.cgroupPaths().get(""), "cgroup.freeze"), "1")) {
            // cgroup v2 alone: its freezer is cgroup.freeze.
            return Status.PAUSED;
        }
        return Files.exists(store.execFifo(s.id())) ? Status.CREATED : Status.RUNNING;
    }

    private static boolean isFrozen(Path file, String frozen) {
        try {
            return Files.readString(file).startsWith(frozen);
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- kill

    public void kill(String id, int signal, boolean all) throws OperationException {
        final String op = "kill";
        ContainerId.validate(op, id);
        try {
            ContainerState s = store.read(id);
            if (all) {
                ContainerCgroups.fromPaths(s.cgroupPaths()).signalAll(signal);
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
        ContainerCgroups cg = ContainerCgroups.fromPaths(s.cgroupPaths());
        try {
            if (ProcessProbe.isSame(s.pid(), s.pidStartTime())) {
                signal(s, SIGKILL);
            }
            cg.signalAll(SIGKILL);
        } catch (ErrnoException | CgroupException e) {
            // A process that exited meanwhile: what matters is that none is left, checked below.
        }
        thawAfterKill(cg);
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

    /** The OCI state JSON hooks read on their stdin. */
    static String stateJson(ContainerState s, Status status) {
        return Json.write(new ContainerView(s, status).toOciState());
    }

    // ---------------------------------------------------------------- exec

    /**
     * Runs a new process in the container (running or created, as runc allows). Returns 0 when
     * detached, else the process's exit code.
     */
    public int exec(ExecRequest r, SignalForwarder forwarder, TerminalRelayFactory terminals) throws OperationException {
        ContainerState s = execTarget(r);
        if (r.tty() && r.consoleSocket() == null && !r.detach() && terminals != null) {
            TerminalRelay relay = openRelay("exec", r.id(), terminals);
            try {
                return new ContainerExec(store, warnings).exec(r.withConsoleSocket(relay.consoleSocket()), s, forwarder,
                        relay);
            } finally {
                relay.close();
            }
        }
        return new ContainerExec(store, warnings).exec(r, s, forwarder, null);
    }

    /**
     * Starts a process in the container and returns its pid at once, without waiting (the shim's
     * exec: its reaper collects the exit). Refused in a stopped or paused container, as exec is.
     */
    public int launchExec(ExecRequest r) throws OperationException {
        return new ContainerExec(store, warnings).launch(r, execTarget(r), null);
    }

    /** The container an exec goes into, refused when stopped, or paused without ignorePaused. */
    private ContainerState execTarget(ExecRequest r) throws OperationException {
        ContainerId.validate("exec", r.id());
        ContainerState s;
        try {
            s = store.read(r.id());
        } catch (StateException e) {
            throw new OperationException("exec", r.id(), e.getMessage());
        }
        Status status = status(s);
        if (status == Status.STOPPED) {
            throw new OperationException("exec", r.id(), "cannot exec in a stopped container");
        }
        if (status == Status.PAUSED && !r.ignorePaused()) {
            // The new process would join the frozen cgroup and freeze before it could run.
            throw new OperationException("exec", r.id(),
                    "cannot exec in a paused container (use --ignore-paused to override)");
        }
        return s;
    }

    // ---------------------------------------------------------------- run

    /**
     * create + start; then, unless detached, waits for the init (a child of this process, thanks
     * to CLONE_PARENT), forwarding signals to it, deletes the container unless kept, and returns
     * the exit code a shell would show (128+N for a signal).
     */
    public int run(CreateOptions o, boolean detach, boolean keep, SignalForwarder forwarder,
            TerminalRelayFactory terminals) throws OperationException {
        if (!detach && o.consoleSocket() != null) {
            // runc's rule: the console socket's receiver is the one who holds the terminal, which
            // a foreground run cannot hand over.
            throw new OperationException("run", o.id(),
                    "--console-socket is only for a detached run (-d) with process.terminal true");
        }
        ContainerCreator creator = new ContainerCreator(store, warnings);
        ContainerState s = creator.create(o, detach ? null : terminals);
        TerminalRelay relay = creator.relay();
        try {
            return runCreated(o, s, detach, keep, forwarder, relay);
        } finally {
            if (relay != null) {
                relay.close();
            }
        }
    }

    private int runCreated(CreateOptions o, ContainerState s, boolean detach, boolean keep, SignalForwarder forwarder,
            TerminalRelay relay) throws OperationException {
        if (!detach) {
            // Before start: a signal that arrives while the process starts must reach it, not
            // end javarun and leave the container running without anyone waiting for it.
            forwarder.forwardTo(s.pid());
        }
        try {
            if (relay != null) {
                relay.attach();
            }
            start(o.id(), o.notifySocket());
        } catch (OperationException | ErrnoException e) {
            forwarder.stop();
            quietDelete(o.id());
            throw e instanceof OperationException oe ? oe
                    : new OperationException("run", o.id(), "take the container's terminal: " + e.getMessage());
        }
        if (detach) {
            return 0;
        }
        int code;
        try {
            code = ChildProcess.awaitExitCode(s.pid());
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

    static TerminalRelay openRelay(String op, String id, TerminalRelayFactory terminals) throws OperationException {
        try {
            return terminals.open();
        } catch (java.io.IOException | ErrnoException e) {
            throw new OperationException(op, id, "set up a terminal for the foreground process: " + e.getMessage());
        }
    }

    private void quietDelete(String id) {
        try {
            delete(id, true);
        } catch (OperationException e) {
            warnings.accept(e.getMessage());
        }
    }

    /**
     * A terminal for a foreground process that asks for one without a console socket: the caller
     * relays its own (the CLI does; the shim always has console sockets).
     */
    public interface TerminalRelay extends AutoCloseable {
        /** Where the container's pty master is to be sent. */
        String consoleSocket();

        /** Once the master has been sent: take it and start relaying. */
        void attach() throws ErrnoException;

        /** After the process ended: let its last output through and put the terminal back. */
        @Override
        void close();
    }

    /** Makes a {@link TerminalRelay} when one is needed. */
    public interface TerminalRelayFactory {
        TerminalRelay open() throws java.io.IOException, ErrnoException;
    }

    /** Forwards the signals the runtime receives to the container's init while `run` waits. */
    public interface SignalForwarder {
        void forwardTo(int pid);

        void stop();
    }

    // ---------------------------------------------------------------- pause, resume, update, ps, events

    /** A frozen process dies of SIGKILL only once thawed: as runc does, thaw after the kill. */
    private static void thawAfterKill(ContainerCgroups cg) {
        if (cg.isFrozen()) {
            try {
                cg.freeze(false);
            } catch (CgroupException e) {
                // What is left shows up when the cgroups are removed.
            }
        }
    }

    /** Freezes every process of a running (or created) container: its status becomes paused. */
    public void pause(String id) throws OperationException {
        ContainerId.validate("pause", id);
        try (AutoCloseable lock = store.lock(id)) {
            ContainerState s = store.read(id);
            ContainerResources.pause(id, status(s), s);
        } catch (OperationException e) {
            throw e;
        } catch (Exception e) {
            throw new OperationException("pause", id, e.getMessage());
        }
    }

    /** Thaws a paused container. */
    public void resume(String id) throws OperationException {
        ContainerId.validate("resume", id);
        try (AutoCloseable lock = store.lock(id)) {
            ContainerState s = store.read(id);
            ContainerResources.resume(id, status(s), s);
        } catch (OperationException e) {
            throw e;
        } catch (Exception e) {
            throw new OperationException("resume", id, e.getMessage());
        }
    }

    /**
     * Changes a live container's resources: {@code update} is a runtime-spec LinuxResources object
     * in which a zero value leaves that setting as it is (runc's update). The stored config then
     * shows the new values.
     */
    public void update(String id, Map<String, Object> update) throws OperationException {
        ContainerId.validate("update", id);
        try (AutoCloseable lock = store.lock(id)) {
            ContainerState s = store.read(id);
            ContainerResources.update(store, s, status(s), update, warnings);
        } catch (OperationException e) {
            throw e;
        } catch (Exception e) {
            throw new OperationException("update", id, e.getMessage());
        }
    }

    /** The pids in the container's cgroup (ps). */
    public List<Integer> processes(String id) throws OperationException {
        ContainerId.validate("ps", id);
        try {
            ContainerState s = store.read(id);
            return ContainerCgroups.fromPaths(s.cgroupPaths()).pids();
        } catch (StateException | CgroupException e) {
            throw new OperationException("ps", id, e.getMessage());
        }
    }

    /** One "stats" event in runc's JSON shape (events --stats); a stopped container has none. */
    public Map<String, Object> stats(String id) throws OperationException {
        ContainerId.validate("events", id);
        try {
            ContainerState s = store.read(id);
            if (status(s) == Status.STOPPED) {
                throw new OperationException("events", id, "container with id " + id + " is not running");
            }
            return ContainerStats.event(id, ContainerCgroups.fromPaths(s.cgroupPaths()));
        } catch (StateException e) {
            throw new OperationException("events", id, e.getMessage());
        }
    }

    /** Whether there is state for {@code id} under this root. */
    public boolean exists(String id) {
        return store.exists(id);
    }

    /** Whether the container is frozen (pause). */
    public boolean isPaused(String id) {
        try {
            return status(store.read(id)) == Status.PAUSED;
        } catch (StateException e) {
            return false;
        }
    }

    /** True while the container's init is alive (events streams until it is not). */
    public boolean isAlive(String id) {
        try {
            ContainerState s = store.read(id);
            return status(s) != Status.STOPPED;
        } catch (StateException e) {
            return false;
        }
    }

    /**
     * Watches the container's OOM notifications on a daemon thread: {@code sink} gets runc's
     * {"type":"oom","id":ID} for each, until the container's memory cgroup is removed.
     */
    public void watchOom(String id, Consumer<Map<String, Object>> sink) throws OperationException {
        ContainerId.validate("events", id);
        ContainerCgroups cg;
        int[] fds;
        try {
            cg = ContainerCgroups.fromPaths(store.read(id).cgroupPaths());
            Long kills = cg.oomKillCount();
            if (kills != null) {
                watchOomKills(id, cg, kills, sink);
                return;
            }
            fds = cg.registerOomEventfd();
        } catch (StateException | CgroupException e) {
            throw new OperationException("events", id, e.getMessage());
        }
        Thread t = new Thread("oom-" + id) {
            @Override
            public void run() {
                try {
                    while (true) {
                        LinuxNative.readEventfd(fds[0]);
                        if (!cg.memoryCgroupExists()) {
                            return;
                        }
                        Map<String, Object> e = new java.util.LinkedHashMap<>();
                        e.put("type", "oom");
                        e.put("id", id);
                        sink.accept(e);
                    }
                } catch (ErrnoException e) {
                    warnings.accept("events " + id + ": OOM notifications: " + e.getMessage());
                }
            }
        };
        t.setDaemon(true);
        t.start();
    }

    /**
     * cgroup v2: memory.events' oom_kill counter, read every 100 ms on a daemon thread (a read of
     * a small kernel file: cheaper than an inotify thread of its own); every increase is one
     * {"type":"oom"} event per kill. Ends when the cgroup is gone.
     */
    private void watchOomKills(String id, ContainerCgroups cg, long initial, Consumer<Map<String, Object>> sink) {
        Thread t = new Thread("oom-" + id) {
            @Override
            public void run() {
                long seen = initial;
                while (true) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                    Long now = cg.oomKillCount();
                    if (now == null || now < 0) {
                        return;
                    }
                    for (; seen < now; seen++) {
                        Map<String, Object> e = new java.util.LinkedHashMap<>();
                        e.put("type", "oom");
                        e.put("id", id);
                        sink.accept(e);
                    }
                }
            }
        };
        t.setDaemon(true);
        t.start();
    }
}
