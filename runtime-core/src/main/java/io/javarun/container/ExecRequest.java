package io.javarun.container;

import io.javarun.process.Stdio;
import io.javarun.spec.ProcessSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * What `exec` was asked for, as runc's flags name it. The process is {@code process} when given
 * (the shim's), else read from {@code processFile}, else the container's own config.process with
 * {@code args} and the overrides applied. {@code cgroups}: exec --cgroup sub-cgroups;
 * {@code apparmor}, {@code processLabel}: --apparmor and --process-label (null when not given).
 */
public record ExecRequest(
        String id,
        List<String> args,
        Path processFile,
        String consoleSocket,
        String cwd,
        List<String> env,
        boolean tty,
        String user,
        List<String> additionalGids,
        boolean detach,
        Path pidFile,
        boolean noNewPrivs,
        List<String> caps,
        int preserveFds,
        boolean ignorePaused,
        List<String> cgroups,
        String apparmor,
        String processLabel,
        ProcessSpec process,
        Stdio stdio) {

    /** The CLI's request: the process from flags or a file, with javarun's own stdio. */
    public ExecRequest(String id, List<String> args, Path processFile, String consoleSocket, String cwd,
            List<String> env, boolean tty, String user, List<String> additionalGids, boolean detach, Path pidFile,
            boolean noNewPrivs, List<String> caps, int preserveFds, boolean ignorePaused, List<String> cgroups) {
        this(id, args, processFile, consoleSocket, cwd, env, tty, user, additionalGids, detach, pidFile, noNewPrivs,
                caps, preserveFds, ignorePaused, cgroups, null, null, null, Stdio.INHERIT);
    }

    /**
     * The shim's request: {@code process} as containerd sent it, detached, on {@code stdio}; a
     * terminal goes to {@code consoleSocket}.
     */
    public static ExecRequest of(String id, ProcessSpec process, String consoleSocket, Stdio stdio) {
        return new ExecRequest(id, List.of(), null, consoleSocket, null, List.of(), process.terminal(), null,
                List.of(), true, null, false, List.of(), 0, false, List.of(), null, null, process, stdio);
    }

    ExecRequest withConsoleSocket(String path) {
        return new ExecRequest(id, args, processFile, path, cwd, env, tty, user, additionalGids, detach, pidFile,
                noNewPrivs, caps, preserveFds, ignorePaused, cgroups, apparmor, processLabel, process, stdio);
    }

    /** The same request with exec's --apparmor and --process-label (null: not given). */
    public ExecRequest withLabels(String apparmorProfile, String label) {
        return new ExecRequest(id, args, processFile, consoleSocket, cwd, env, tty, user, additionalGids, detach,
                pidFile, noNewPrivs, caps, preserveFds, ignorePaused, cgroups, apparmorProfile, label, process, stdio);
    }
}
