package io.javarun.seccomp;

import io.javarun.json.Json;
import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.process.HelperSession;
import io.javarun.process.StepException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Takes the SECCOMP op's reports for one create or exec: unknown syscall names become a
 * warning, and the listener fd goes to the seccomp agent at {@code listenerPath}, as runc sends
 * it: one message on a new connection, the runtime spec's ContainerProcessState JSON with the fd
 * attached (SCM_RIGHTS).
 */
public final class SeccompHandOff implements HelperSession.SeccompReports {
    /** The name the runtime spec gives the listener fd in {@code fds}. */
    static final String FD_NAME = "seccompFd";

    private final Consumer<String> warnings;
    private final String listenerPath;
    private final byte[] message;

    /**
     * @param message the ContainerProcessState JSON ({@link #processState}); "" when the profile
     *     has no listener (building it costs the runtime-spec version's resource read)
     */
    public SeccompHandOff(Consumer<String> warnings, String listenerPath, String message) {
        this.warnings = warnings;
        this.listenerPath = listenerPath;
        this.message = message.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The runtime spec's ContainerProcessState: {@code pid} is the process the filter was loaded
     * in, {@code state} the container's OCI state.
     */
    public static String processState(String ociVersion, int pid, String metadata, Map<String, Object> state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", ociVersion);
        List<Object> fds = new ArrayList<>(1);
        fds.add(FD_NAME);
        m.put("fds", fds);
        m.put("pid", (long) pid);
        if (!metadata.isEmpty()) {
            m.put("metadata", metadata);
        }
        m.put("state", state);
        return Json.write(m);
    }

    @Override
    public void unknownSyscalls(List<String> names) {
        // runc logs these at debug level; a profile that silently allows less (or more) than it
        // says deserves a line the user sees.
        warnings.accept("linux.seccomp: syscalls unknown to libseccomp, skipped: " + String.join(", ", names));
    }

    @Override
    public void listenerFd(int fd) throws StepException {
        try {
            LinuxNative.sendWithFd(listenerPath, message, fd);
        } catch (ErrnoException e) {
            String reason = e.reason();
            reason = reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
            throw new StepException("send the seccomp listener fd to the agent at " + listenerPath, e.errno(),
                    reason, e.getMessage());
        }
    }
}
