package io.javarun.container;

import io.javarun.cgroups.ContainerCgroups;
import io.javarun.linux.ErrnoException;
import io.javarun.linux.HostSecurity;
import io.javarun.process.ChildProcess;
import io.javarun.process.HelperSession;
import io.javarun.process.Plan;
import io.javarun.process.StepException;
import io.javarun.seccomp.SeccompCache;
import io.javarun.seccomp.SeccompProfile;
import io.javarun.spec.ConfigException;
import io.javarun.spec.ProcessSpec;
import io.javarun.spec.Spec;
import io.javarun.spec.SpecParser;
import io.javarun.spec.SpecValidator;
import io.javarun.state.ContainerState;
import io.javarun.state.StateException;
import io.javarun.state.StateStore;
import io.javarun.state.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The exec operation: a new process in a running (or created) container, joined to all its
 * namespaces and cgroups, with the container's process settings or the ones given.
 */
final class ContainerExec {
    private final StateStore store;
    private final Consumer<String> warnings;

    ContainerExec(StateStore store, Consumer<String> warnings) {
        this.store = store;
        this.warnings = warnings;
    }

    /** Runs the exec; returns 0 when detached, else the process's exit code (128+N for a signal). */
    int exec(ExecRequest r, ContainerState state, Containers.SignalForwarder forwarder, Containers.TerminalRelay relay)
            throws OperationException {
        final String op = "exec";
        int pid = launch(r, state, relay);
        if (r.detach()) {
            if (r.pidFile() != null) {
                try {
                    StateStore.writeAtomically(r.pidFile().toAbsolutePath(), Integer.toString(pid));
                } catch (StateException e) {
                    throw new OperationException(op, r.id(), e.getMessage());
                }
            }
            return 0;
        }
        forwarder.forwardTo(pid);
        try {
            return ChildProcess.awaitExitCode(pid);
        } catch (ErrnoException e) {
            throw new OperationException(op, r.id(), "wait for the process: " + e.getMessage());
        } finally {
            forwarder.stop();
        }
    }

    /** Starts the process (running its program when this returns) and returns its pid, a child of ours. */
    int launch(ExecRequest r, ContainerState state, Containers.TerminalRelay relay) throws OperationException {
        final String op = "exec";
        ProcessSpec proc;
        Spec spec;
        try {
            spec = SpecParser.fromJson(state.config());
            proc = r.process() != null ? r.process()
                    : r.processFile() != null ? readProcessFile(r.processFile()) : fromConfig(spec.process(), r);
            for (String w : SpecValidator.validateProcess(proc)) {
                warnings.accept(w);
            }
        } catch (ConfigException e) {
            throw new OperationException(op, r.id(), e.getMessage());
        }
        Map<String, String> cgroups;
        try {
            cgroups = r.cgroups().isEmpty() ? state.cgroupPaths() : ExecCgroups.apply(state.cgroupPaths(), r.cgroups());
        } catch (ConfigException e) {
            throw new OperationException(op, r.id(), e.getMessage());
        }
        if (proc.terminal() && r.consoleSocket() == null) {
            throw new OperationException(op, r.id(), "a detached process with a terminal (-d -t) needs"
                    + " --console-socket to hand the terminal to");
        }
        if (!proc.terminal() && r.consoleSocket() != null) {
            throw new OperationException(op, r.id(), "--console-socket given, but no terminal asked for (-t)");
        }
        Plan plan = ExecPlanner.plan(spec.linux(), state.pid(), proc, Path.of(state.rootfs()), r.consoleSocket(),
                ContainerCgroups.fromPaths(cgroups).dirs());
        SeccompCache.Use seccompCache = SeccompCache.in(store.root()).apply(plan);
        HelperSession session;
        try {
            session = HelperSession.start(plan, r.preserveFds(), r.stdio());
        } catch (ErrnoException e) {
            throw new OperationException(op, r.id(), "start the javarun helper: " + e.getMessage());
        }
        int pid = -1;
        try (session) {
            pid = session.awaitPid();
            session.awaitSync(ExecPlanner.SYNC_EXEC);
            SeccompProfile seccomp = spec.linux().seccomp();
            if (seccomp != null) {
                // As runc: the agent gets the exec's pid, and the container's state as running.
                HelperSession.SeccompReports reports = new ContainerView(state, Status.RUNNING)
                        .seccompHandOff(seccomp, pid, warnings);
                session.seccompReports(reports);
                seccompCache.warnCached(reports);
            }
            session.go();
            session.awaitExec();
            seccompCache.storeFrom(session);
            if (relay != null) {
                relay.attach();
            }
        } catch (StepException e) {
            ChildProcess.killAndReap(pid);
            throw new OperationException(op, r.id(), e.getMessage(), e.detail());
        } catch (ErrnoException e) {
            ChildProcess.killAndReap(pid);
            throw new OperationException(op, r.id(), "talk to the new process: " + e.getMessage());
        }
        return pid;
    }

    private static ProcessSpec readProcessFile(Path file) throws ConfigException {
        try {
            return SpecParser.parseProcess(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException("open " + file + ": no such file or directory");
        } catch (IOException e) {
            throw new ConfigException("read " + file + ": " + e.getMessage());
        }
    }

    /** runc's exec: the container's process, with the command line's args and overrides. */
    static ProcessSpec fromConfig(ProcessSpec base, ExecRequest r) throws ConfigException {
        if (r.args().isEmpty()) {
            throw new ConfigException("exec args cannot be empty");
        }
        List<String> env = new ArrayList<>(base.env());
        env.addAll(r.env());
        ProcessSpec.User u = base.user();
        long uid = u.uid();
        long gid = u.gid();
        if (r.user() != null && !r.user().isEmpty()) {
            String[] parts = r.user().split(":", 2);
            uid = parseId("--user", parts[0]);
            if (parts.length > 1) {
                gid = parseId("--user", parts[1]);
            }
        }
        List<Long> groups = u.additionalGids();
        if (!r.additionalGids().isEmpty()) {
            groups = new ArrayList<>();
            for (String g : r.additionalGids()) {
                groups.add(parseId("--additional-gids", g));
            }
        }
        boolean apparmor = r.apparmor() != null && !r.apparmor().isEmpty();
        boolean label = r.processLabel() != null && !r.processLabel().isEmpty();
        if (apparmor || label) {
            // The flag's own words; a label inherited from config.json is the validator's to refuse.
            HostSecurity host = HostSecurity.probe();
            if (apparmor && !host.appArmor()) {
                throw new ConfigException("--apparmor " + r.apparmor() + ": AppArmor is not enabled on this host");
            }
            if (label && !host.selinux()) {
                throw new ConfigException("--process-label " + r.processLabel() + ": SELinux is not enabled on this host");
            }
        }
        ProcessSpec.Capabilities caps = base.capabilities();
        if (!r.caps().isEmpty()) {
            caps = new ProcessSpec.Capabilities(
                    plus(caps == null ? null : caps.bounding(), r.caps()),
                    plus(caps == null ? null : caps.effective(), r.caps()),
                    caps == null ? List.of() : caps.inheritable(),
                    plus(caps == null ? null : caps.permitted(), r.caps()),
                    caps == null ? List.of() : caps.ambient());
        }
        // As runc: the config's LSM labels, I/O priority and scheduler, the flags' labels over them.
        return new ProcessSpec(r.tty(), new ProcessSpec.User(uid, gid, u.umask(), groups), r.args(), env,
                r.cwd() != null ? r.cwd() : base.cwd(), caps, base.rlimits(),
                base.noNewPrivileges() || r.noNewPrivs(), null,
                apparmor ? r.apparmor() : base.apparmorProfile(), label ? r.processLabel() : base.selinuxLabel(),
                base.ioPriority(), base.scheduler());
    }

    private static List<String> plus(List<String> set, List<String> more) {
        List<String> out = new ArrayList<>(set == null ? List.of() : set);
        for (String c : more) {
            String name = c.startsWith("CAP_") ? c : "CAP_" + c;
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private static long parseId(String flag, String text) throws ConfigException {
        try {
            long v = Long.parseLong(text);
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(flag + ": \"" + text + "\" is not a numeric id");
        }
    }
}
