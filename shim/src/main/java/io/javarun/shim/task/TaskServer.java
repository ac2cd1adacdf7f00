package io.javarun.shim.task;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import io.javarun.cgroups.ContainerCgroups;
import io.javarun.container.Containers;
import io.javarun.container.ExecRequest;
import io.javarun.container.OperationException;
import io.javarun.json.Json;
import io.javarun.json.JsonException;
import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.process.ChildProcess;
import io.javarun.process.Children;
import io.javarun.protos.events.TaskCreate;
import io.javarun.protos.events.TaskDelete;
import io.javarun.protos.events.TaskExecAdded;
import io.javarun.protos.events.TaskExecStarted;
import io.javarun.protos.events.TaskExit;
import io.javarun.protos.events.TaskIO;
import io.javarun.protos.events.TaskOOM;
import io.javarun.protos.events.TaskPaused;
import io.javarun.protos.events.TaskResumed;
import io.javarun.protos.eventservice.EventsService;
import io.javarun.protos.runc.ProcessDetails;
import io.javarun.protos.task.*;
import io.javarun.protos.types.ProcessInfo;
import io.javarun.shim.ProtoTimestamps;
import io.javarun.shim.events.EventPublisher;
import io.javarun.shim.io.ProcessIO;
import io.javarun.shim.process.Reaper;
import io.javarun.spec.ConfigException;
import io.javarun.spec.NamespaceType;
import io.javarun.spec.ProcessSpec;
import io.javarun.spec.SpecParser;
import io.javarun.state.ContainerState;
import io.javarun.state.StateException;
import io.javarun.state.StateStore;
import io.javarun.ttrpc.CallContext;
import io.javarun.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * containerd's task service, served in-process over runtime-core: Create mounts the rootfs and
 * creates the container with pipes for stdio, Start releases it, the reaper reports exits, and
 * every state change becomes an event on the one ordered queue. Nothing here spawns javarun.
 */
public final class TaskServer implements TaskService {
    private static final int SIGKILL = 9;
    /** How long Delete waits for a process's output to be copied out before closing the FIFOs. */
    private static final long OUTPUT_DRAIN_MILLIS = 5_000;

    private final String namespace;
    private final Path stateBase;
    private final Path consoleDir;
    private final Reaper reaper;
    private final EventPublisher events;
    private final Consumer<String> log;
    private final Runnable onIdleShutdown;
    private final Map<String, ShimContainer> containers = new ConcurrentHashMap<>();
    private final Map<String, Containers> runtimes = new ConcurrentHashMap<>();

    /**
     * @param stateBase     where state goes by default, per namespace (like runc's /run/containerd/runc)
     * @param onIdleShutdown called after a Shutdown when no container is left
     */
    public TaskServer(String namespace, Path stateBase, Path consoleDir, Reaper reaper, EventPublisher events,
            Consumer<String> log, Runnable onIdleShutdown) {
        this.namespace = namespace;
        this.stateBase = stateBase;
        this.consoleDir = consoleDir;
        this.reaper = reaper;
        this.events = events;
        this.log = log;
        this.onIdleShutdown = onIdleShutdown;
    }

    private Path stateRoot(ShimOptions o) {
        return (o.root().isEmpty() ? stateBase : Path.of(o.root())).resolve(namespace);
    }

    private Containers runtime(Path root) {
        return runtimes.computeIfAbsent(root.toString(), r -> new Containers(new StateStore(Path.of(r)), log));
    }

    private ShimContainer container(String id) throws TtrpcException {
        ShimContainer c = containers.get(id);
        if (c == null) {
            throw TtrpcException.notFound("container " + id);
        }
        return c;
    }

    private ShimProcess process(String id, String execId) throws TtrpcException {
        ShimProcess p = container(id).process(execId);
        if (p == null) {
            throw TtrpcException.notFound("process " + execId + " of container " + id);
        }
        return p;
    }

    // ------------------------------------------------------------------ create and start

    @Override
    public CreateTaskResponse create(CallContext ctx, CreateTaskRequest r) throws Exception {
        String id = r.getId();
        if (!r.getCheckpoint().isEmpty()) {
            throw new TtrpcException(TtrpcException.Code.UNIMPLEMENTED,
                    "create " + id + ": restore from a checkpoint is not supported by javarun yet");
        }
        ShimOptions options = ShimOptions.from(r.hasOptions() ? r.getOptions() : null);
        if (options.systemdCgroup()) {
            throw new TtrpcException(TtrpcException.Code.INVALID_ARGUMENT,
                    "create " + id + ": SystemdCgroup: the systemd cgroup driver is not available in javarun");
        }
        Path bundle = Path.of(r.getBundle());
        Path root = stateRoot(options);
        Containers runtime = runtime(root);
        synchronized (containers) {
            if (containers.containsKey(id)) {
                throw TtrpcException.alreadyExists("container " + id);
            }
            List<Path> mounts = RootfsMounts.mount(r.getRootfsList(), bundle.resolve("rootfs"));
            ProcessIO io = null;
            ContainerState state = null;
            try {
                BundleFiles.writeRoot(bundle, root);
                io = ProcessIO.open(id, namespace, r.getStdin(), r.getStdout(), r.getStderr(), r.getTerminal(),
                        consoleDir);
                state = runtime.create(new Containers.CreateOptions(id, bundle, null, io.consoleSocket(),
                        options.noPivot(), options.noNewKeyring(), 0, 0, null, io.stdio()));
                int pid = state.pid();
                io.started();
                ShimProcess init = new ShimProcess(id, "", r.getTerminal(), r.getStdin(), r.getStdout(),
                        r.getStderr(), null);
                init.created(pid, io);
                ShimContainer c = new ShimContainer(id, bundle, runtime, init, mounts, hasOwnPidNamespace(state),
                        ContainerCgroups.fromPaths(state.cgroupPaths()).isUnified());
                containers.put(id, c);
                events.publish("/tasks/create", "containerd.events.TaskCreate", TaskCreate.newBuilder()
                        .setContainerId(id).setBundle(r.getBundle()).addAllRootfs(r.getRootfsList())
                        .setIo(TaskIO.newBuilder().setStdin(r.getStdin()).setStdout(r.getStdout())
                                .setStderr(r.getStderr()).setTerminal(r.getTerminal()))
                        .setPid(pid).build());
                // After the create event is queued: the exit event can only follow it.
                reaper.onExit(pid, status -> initExited(c, status));
                watchOom(runtime, id);
                return CreateTaskResponse.newBuilder().setPid(pid).build();
            } catch (OperationException | StateException | IOException | RuntimeException e) {
                if (state != null) {
                    // Created, but its stdio could not be connected: it must not stay behind.
                    quietDelete(runtime, id);
                }
                if (io != null) {
                    io.close();
                }
                RootfsMounts.unmount(mounts);
                throw e instanceof OperationException oe ? failed(oe) : e;
            }
        }
    }

    private void watchOom(Containers runtime, String id) {
        try {
            runtime.watchOom(id, e -> events.publish("/tasks/oom", "containerd.events.TaskOOM",
                    TaskOOM.newBuilder().setContainerId(id).build()));
        } catch (OperationException e) {
            log.accept("OOM events of " + id + " will not be reported: " + e.getMessage());
        }
    }

    /** Whether the config asks for a new pid namespace (if not, the init's exit leaves others running). */
    private static boolean hasOwnPidNamespace(ContainerState state) {
        try {
            return SpecParser.fromJson(state.config()).linux().createsNew(NamespaceType.PID);
        } catch (ConfigException e) {
            // Valid at create a moment ago; if it no longer reads, assume shared (kill the rest at exit).
            return false;
        }
    }

    private void quietDelete(Containers runtime, String id) {
        try {
            runtime.delete(id, true);
        } catch (OperationException e) {
            log.accept("create " + id + ": clean-up: " + e.getMessage());
        }
    }

    @Override
    public StartResponse start(CallContext ctx, StartRequest r) throws Exception {
        ShimContainer c = container(r.getId());
        if (r.getExecId().isEmpty()) {
            ShimProcess init = c.init;
            try {
                c.runtime.start(c.id, null);
            } catch (OperationException e) {
                throw failed(e);
            }
            init.markStarted();
            events.publish("/tasks/start", "containerd.events.TaskStart",
                    io.javarun.protos.events.TaskStart.newBuilder().setContainerId(c.id).setPid(init.pid()).build());
            return StartResponse.newBuilder().setPid(init.pid()).build();
        }
        ShimProcess p = process(r.getId(), r.getExecId());
        synchronized (p) {
            if (p.isStarted()) {
                throw TtrpcException.failedPrecondition("exec " + r.getExecId() + " of " + c.id + " already started");
            }
            ProcessIO io = ProcessIO.open(c.id, namespace, p.stdin, p.stdout, p.stderr, p.terminal, consoleDir);
            int pid = -1;
            try {
                pid = c.runtime.launchExec(ExecRequest.of(c.id, p.spec, io.consoleSocket(), io.stdio()));
                io.started();
            } catch (OperationException | IOException e) {
                // Started but not connected: not left running unseen.
                ChildProcess.killAndReap(pid);
                io.close();
                throw e instanceof OperationException oe ? failed(oe) : e;
            }
            p.created(pid, io);
            p.markStarted();
            events.publish("/tasks/exec-started", "containerd.events.TaskExecStarted", TaskExecStarted.newBuilder()
                    .setContainerId(c.id).setExecId(p.execId).setPid(pid).build());
            reaper.onExit(pid, status -> processExited(c, p, status));
            return StartResponse.newBuilder().setPid(pid).build();
        }
    }

    // ------------------------------------------------------------------ exits

    private void initExited(ShimContainer c, int status) {
        if (!c.ownPidNamespace) {
            // Sharing a pid namespace, the others do not die with the init: runc's shim kills them.
            try {
                c.runtime.kill(c.id, SIGKILL, true);
            } catch (OperationException e) {
                // Gone already.
            }
        }
        processExited(c, c.init, status);
        try {
            BundleFiles.writeInitExit(c.bundle, c.init.exitStatus(), c.init.exitedAt());
        } catch (StateException e) {
            log.accept("record the exit of " + c.id + " in its bundle: " + e.getMessage());
        }
    }

    private void processExited(ShimContainer c, ShimProcess p, int status) {
        p.exited(Children.exitCode(status));
        events.publish("/tasks/exit", "containerd.events.TaskExit", TaskExit.newBuilder().setContainerId(c.id)
                .setId(p.eventId()).setPid(p.pid()).setExitStatus(p.exitStatus()).setExitedAt(ProtoTimestamps.of(p.exitedAt()))
                .build());
    }

    // ------------------------------------------------------------------ delete

    @Override
    public DeleteResponse delete(CallContext ctx, DeleteRequest r) throws Exception {
        ShimContainer c = container(r.getId());
        if (!r.getExecId().isEmpty()) {
            ShimProcess p = process(r.getId(), r.getExecId());
            if (p.isStarted() && !p.hasExited()) {
                throw TtrpcException.failedPrecondition("exec " + p.execId + " of " + c.id + " is still running");
            }
            c.execs.remove(p.execId);
            closeIo(p);
            return deleted(p);
        }
        ShimProcess init = c.init;
        try {
            if (c.runtime.exists(c.id)) {
                c.runtime.delete(c.id, true);
            }
        } catch (OperationException e) {
            throw failed(e);
        }
        if (!init.hasExited()) {
            // A created task deleted before it ran: the kill above ends it; its exit is on its way.
            init.awaitExit(5_000);
        }
        closeIo(init);
        for (ShimProcess p : c.execs.values()) {
            closeIo(p);
        }
        for (String failure : RootfsMounts.unmount(c.mounts)) {
            log.accept("delete " + c.id + ": " + failure);
        }
        containers.remove(c.id);
        events.publish("/tasks/delete", "containerd.events.TaskDelete", TaskDelete.newBuilder().setContainerId(c.id)
                .setPid(init.pid()).setExitStatus(init.exitStatus()).setExitedAt(ProtoTimestamps.of(exitedAtOrNow(init))).build());
        return deleted(init);
    }

    private static DeleteResponse deleted(ShimProcess p) {
        return DeleteResponse.newBuilder().setPid(p.pid()).setExitStatus(p.exitStatus())
                .setExitedAt(ProtoTimestamps.of(exitedAtOrNow(p))).build();
    }

    private static Instant exitedAtOrNow(ShimProcess p) {
        return p.exitedAt() == null ? Instant.now() : p.exitedAt();
    }

    private void closeIo(ShimProcess p) {
        ProcessIO io = p.io();
        if (io != null) {
            if (!io.awaitOutput(OUTPUT_DRAIN_MILLIS)) {
                log.accept("delete " + p.containerId + ": output of " + p.eventId()
                        + " still held open by another process; closing it");
            }
            io.close();
        }
    }

    // ------------------------------------------------------------------ exec

    @Override
    public Empty exec(CallContext ctx, ExecProcessRequest r) throws Exception {
        ShimContainer c = container(r.getId());
        if (c.init.hasExited()) {
            throw TtrpcException.failedPrecondition("exec in container " + c.id + ": its init has exited");
        }
        ProcessSpec spec;
        try {
            spec = SpecParser.parseProcess(r.getSpec().getValue().toStringUtf8(), "exec " + r.getExecId() + " process");
        } catch (ConfigException e) {
            throw new TtrpcException(TtrpcException.Code.INVALID_ARGUMENT, e.getMessage());
        }
        ShimProcess p = new ShimProcess(c.id, r.getExecId(), r.getTerminal(), r.getStdin(), r.getStdout(),
                r.getStderr(), spec);
        if (c.execs.putIfAbsent(r.getExecId(), p) != null) {
            throw TtrpcException.alreadyExists("exec " + r.getExecId() + " of container " + c.id);
        }
        events.publish("/tasks/exec-added", "containerd.events.TaskExecAdded",
                TaskExecAdded.newBuilder().setContainerId(c.id).setExecId(r.getExecId()).build());
        return Empty.getDefaultInstance();
    }

    // ------------------------------------------------------------------ state, wait, pids

    @Override
    public StateResponse state(CallContext ctx, StateRequest r) throws Exception {
        ShimContainer c = container(r.getId());
        ShimProcess p = process(r.getId(), r.getExecId());
        StateResponse.Builder b = StateResponse.newBuilder().setId(p.eventId()).setBundle(c.bundle.toString())
                .setPid(p.pid()).setStdin(p.stdin).setStdout(p.stdout).setStderr(p.stderr)
                .setTerminal(p.terminal).setExecId(p.execId);
        if (p.hasExited()) {
            b.setStatus(io.javarun.protos.types.Status.STOPPED).setExitStatus(p.exitStatus())
                    .setExitedAt(ProtoTimestamps.of(p.exitedAt()));
        } else if (!p.isStarted()) {
            b.setStatus(io.javarun.protos.types.Status.CREATED);
        } else if (c.runtime.isPaused(c.id)) {
            b.setStatus(io.javarun.protos.types.Status.PAUSED);
        } else {
            b.setStatus(io.javarun.protos.types.Status.RUNNING);
        }
        return b.build();
    }

    @Override
    public WaitResponse wait(CallContext ctx, WaitRequest r) throws Exception {
        ShimProcess p = process(r.getId(), r.getExecId());
        p.awaitExit();
        return WaitResponse.newBuilder().setExitStatus(p.exitStatus()).setExitedAt(ProtoTimestamps.of(p.exitedAt())).build();
    }

    @Override
    public PidsResponse pids(CallContext ctx, PidsRequest r) throws Exception {
        ShimContainer c = container(r.getId());
        List<Integer> pids;
        try {
            pids = c.runtime.processes(c.id);
        } catch (OperationException e) {
            throw failed(e);
        }
        PidsResponse.Builder b = PidsResponse.newBuilder();
        for (int pid : pids) {
            ProcessInfo.Builder info = ProcessInfo.newBuilder().setPid(pid);
            for (ShimProcess p : c.execs.values()) {
                if (p.pid() == pid) {
                    info.setInfo(Any.newBuilder().setTypeUrl("containerd.runc.v1.ProcessDetails")
                            .setValue(ProcessDetails.newBuilder().setExecId(p.execId).build().toByteString()));
                }
            }
            b.addProcesses(info);
        }
        return b.build();
    }

    // ------------------------------------------------------------------ signals and control

    @Override
    public Empty kill(CallContext ctx, KillRequest r) throws Exception {
        ShimContainer c = container(r.getId());
        ShimProcess p = process(r.getId(), r.getExecId());
        if (p.isInit()) {
            if (p.hasExited() && !r.getAll()) {
                throw TtrpcException.notFound("process " + c.id + " already finished");
            }
            try {
                c.runtime.kill(c.id, r.getSignal(), r.getAll());
            } catch (OperationException e) {
                throw failed(e);
            }
            return Empty.getDefaultInstance();
        }
        if (!p.isStarted() || p.hasExited()) {
            throw TtrpcException.notFound("exec " + p.execId + " of " + c.id + " is not running");
        }
        try {
            LinuxNative.kill(p.pid(), r.getSignal());
        } catch (ErrnoException e) {
            throw TtrpcException.notFound("kill exec " + p.execId + " of " + c.id + ": " + e.getMessage());
        }
        return Empty.getDefaultInstance();
    }

    @Override
    public Empty pause(CallContext ctx, PauseRequest r) throws Exception {
        return freeze(r.getId(), true);
    }

    @Override
    public Empty resume(CallContext ctx, ResumeRequest r) throws Exception {
        return freeze(r.getId(), false);
    }

    /** Pause (freeze) or resume (thaw) the container, then tell containerd. */
    private Empty freeze(String id, boolean pause) throws TtrpcException {
        ShimContainer c = container(id);
        try {
            if (pause) {
                c.runtime.pause(c.id);
            } else {
                c.runtime.resume(c.id);
            }
        } catch (OperationException e) {
            throw failed(e);
        }
        if (pause) {
            events.publish("/tasks/paused", "containerd.events.TaskPaused",
                    TaskPaused.newBuilder().setContainerId(c.id).build());
        } else {
            events.publish("/tasks/resumed", "containerd.events.TaskResumed",
                    TaskResumed.newBuilder().setContainerId(c.id).build());
        }
        return Empty.getDefaultInstance();
    }

    @Override
    public Empty resizePty(CallContext ctx, ResizePtyRequest r) throws Exception {
        ShimProcess p = process(r.getId(), r.getExecId());
        ProcessIO io = p.io();
        if (io == null || io.master() < 0) {
            throw TtrpcException.failedPrecondition("resize " + p.eventId() + ": the process has no terminal");
        }
        LinuxNative.setWindowSize(io.master(), r.getHeight(), r.getWidth());
        return Empty.getDefaultInstance();
    }

    @Override
    public Empty closeIO(CallContext ctx, CloseIORequest r) throws Exception {
        ShimProcess p = process(r.getId(), r.getExecId());
        if (r.getStdin() && p.io() != null) {
            p.io().closeStdin();
        }
        return Empty.getDefaultInstance();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Empty update(CallContext ctx, UpdateTaskRequest r) throws Exception {
        ShimContainer c = container(r.getId());
        Object resources;
        try {
            resources = Json.parse(r.getResources().getValue().toStringUtf8());
        } catch (JsonException e) {
            throw new TtrpcException(TtrpcException.Code.INVALID_ARGUMENT,
                    "update " + c.id + ": resources: invalid JSON: " + e.getMessage());
        }
        if (!(resources instanceof Map)) {
            throw new TtrpcException(TtrpcException.Code.INVALID_ARGUMENT,
                    "update " + c.id + ": resources: expected a LinuxResources object");
        }
        try {
            c.runtime.update(c.id, (Map<String, Object>) resources);
        } catch (OperationException e) {
            throw failed(e);
        }
        return Empty.getDefaultInstance();
    }

    @Override
    public StatsResponse stats(CallContext ctx, StatsRequest r) throws Exception {
        ShimContainer c = container(r.getId());
        Map<String, Object> stats;
        try {
            stats = c.runtime.stats(c.id);
        } catch (OperationException e) {
            throw failed(e);
        }
        return StatsResponse.newBuilder().setStats(MetricsEncoder.encode(stats, c.unifiedCgroup)).build();
    }

    @Override
    public Empty checkpoint(CallContext ctx, CheckpointTaskRequest r) throws Exception {
        throw new TtrpcException(TtrpcException.Code.UNIMPLEMENTED,
                "checkpoint " + r.getId() + ": not implemented: javarun has no CRIU support yet");
    }

    @Override
    public ConnectResponse connect(CallContext ctx, ConnectRequest r) throws Exception {
        ShimContainer c = containers.get(r.getId());
        return ConnectResponse.newBuilder().setShimPid(LinuxNative.getpid())
                .setTaskPid(c == null ? 0 : c.init.pid()).build();
    }

    @Override
    public Empty shutdown(CallContext ctx, ShutdownRequest r) throws Exception {
        if (containers.isEmpty() || r.getNow()) {
            onIdleShutdown.run();
        }
        return Empty.getDefaultInstance();
    }

    /** Whether no container is left (the daemon may exit). */
    public boolean isIdle() {
        return containers.isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** runtime-core's error as a ttrpc status: "does not exist" is NotFound, the rest Unknown. */
    private static TtrpcException failed(OperationException e) {
        String m = e.getMessage();
        if (m.contains("does not exist")) {
            return new TtrpcException(TtrpcException.Code.NOT_FOUND, m + ": not found");
        }
        if (m.contains("cannot ") || m.contains("not running") || m.contains("is not paused")
                || m.contains("already")) {
            return new TtrpcException(TtrpcException.Code.FAILED_PRECONDITION, m);
        }
        return new TtrpcException(TtrpcException.Code.UNKNOWN, m);
    }
}
