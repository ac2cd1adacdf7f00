package io.javarun.container;

import java.nio.file.Path;
import java.util.List;

/**
 * What `exec` was asked for, as runc's flags name it. Without {@code processFile} the process is
 * the container's own config.process with {@code args} and the overrides applied.
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
        boolean ignorePaused) {

    ExecRequest withConsoleSocket(String path) {
        return new ExecRequest(id, args, processFile, path, cwd, env, tty, user, additionalGids, detach, pidFile,
                noNewPrivs, caps, preserveFds, ignorePaused);
    }
}
