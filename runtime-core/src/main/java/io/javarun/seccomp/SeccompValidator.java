package io.javarun.seccomp;

import io.javarun.spec.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The rules a well-typed {@code linux.seccomp} can still break, checked before anything is
 * created: names of actions, operators, architectures and flags; argument indexes; and what a
 * listener needs. runc refuses most of these too, some only once the container process is
 * already half set up.
 */
public final class SeccompValidator {
    /** The longest path a sockaddr_un takes (108 bytes with the terminating NUL). */
    private static final int MAX_SOCKET_PATH = 107;
    /** A syscall has six arguments, 0 to 5. */
    private static final long MAX_ARG_INDEX = 5;

    private SeccompValidator() {}

    /**
     * Checks {@code p}; settings that have no effect are reported to {@code warnings} (runc
     * ignores them in silence).
     */
    public static void validate(SeccompProfile p, List<String> warnings) throws ConfigException {
        if (!p.enabled()) {
            if (!p.architectures().isEmpty() || p.flags() != null || !p.listenerPath().isEmpty()) {
                warnings.add("linux.seccomp: no defaultAction and no syscalls: no filter is loaded");
            }
            return;
        }
        SeccompAction def = action("linux.seccomp.defaultAction", p.defaultAction());
        if (def == SeccompAction.NOTIFY) {
            throw ConfigException.field("linux.seccomp.defaultAction", "SCMP_ACT_NOTIFY cannot be the default action:"
                    + " the write that hands the listener its fd would itself wait for the listener");
        }
        if (p.defaultErrnoRet() != null && !def.takesErrno()) {
            warnings.add("linux.seccomp.defaultErrnoRet: ignored, " + def.specName() + " returns no errno");
        }
        for (int i = 0; i < p.architectures().size(); i++) {
            String name = p.architectures().get(i);
            if (SeccompArch.named(name) == null) {
                throw ConfigException.field("linux.seccomp.architectures[" + i + "]", "unknown architecture \""
                        + name + "\" (known: " + SpecNamed.list(SeccompArch.values()) + ")");
            }
        }
        boolean notify = p.usesNotify();
        List<String> flags = p.flags() == null ? List.of() : p.flags();
        for (int i = 0; i < flags.size(); i++) {
            SeccompFlag f = SeccompFlag.named(flags.get(i));
            if (f == null) {
                throw ConfigException.field("linux.seccomp.flags[" + i + "]", "unknown flag \"" + flags.get(i)
                        + "\" (known: " + SpecNamed.list(SeccompFlag.values()) + ")");
            }
            if (f == SeccompFlag.WAIT_KILLABLE_RECV && !notify) {
                throw ConfigException.field("linux.seccomp.flags[" + i + "]", f.specName() + " needs a syscall with"
                        + " SCMP_ACT_NOTIFY: the kernel takes it only for a filter with a listener");
            }
        }
        for (int i = 0; i < p.syscalls().size(); i++) {
            syscall("linux.seccomp.syscalls[" + i + "]", p.syscalls().get(i), warnings);
        }
        if (notify) {
            listener(p);
        }
    }

    private static void syscall(String field, SeccompProfile.Syscall s, List<String> warnings) throws ConfigException {
        SeccompAction action = action(field + ".action", s.action());
        if (s.errnoRet() != null && !action.takesErrno()) {
            warnings.add(field + ".errnoRet: ignored, " + action.specName() + " returns no errno");
        }
        for (int j = 0; j < s.names().size(); j++) {
            String name = s.names().get(j);
            if (name.isEmpty()) {
                throw ConfigException.field(field + ".names[" + j + "]", "must not be empty");
            }
            if (action == SeccompAction.NOTIFY && name.equals("write")) {
                // As runc: after loading the filter, the container process reports its listener
                // fd with write(2), which must not wait for the listener it is being handed to.
                throw ConfigException.field(field + ".names[" + j + "]", "SCMP_ACT_NOTIFY cannot be used for write:"
                        + " the container process hands over the listener fd with write(2)");
            }
        }
        for (int k = 0; k < s.args().size(); k++) {
            SeccompProfile.Arg a = s.args().get(k);
            String argField = field + ".args[" + k + "]";
            if (a.index() > MAX_ARG_INDEX) {
                throw ConfigException.field(argField + ".index", "must be 0 to 5 (a syscall has six arguments),"
                        + " got " + a.index());
            }
            if (SeccompOperator.named(a.op()) == null) {
                throw ConfigException.field(argField + ".op", "unknown operator \"" + a.op() + "\" (known: "
                        + SpecNamed.list(SeccompOperator.values()) + ")");
            }
        }
    }

    private static void listener(SeccompProfile p) throws ConfigException {
        String path = p.listenerPath();
        if (path.isEmpty()) {
            throw ConfigException.field("linux.seccomp.listenerPath", "is required: a syscall uses SCMP_ACT_NOTIFY,"
                    + " and its listener fd goes to the agent on this socket");
        }
        if (!path.startsWith("/")) {
            throw ConfigException.field("linux.seccomp.listenerPath", "must be an absolute path, got \"" + path + "\"");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw ConfigException.field("linux.seccomp.listenerPath", "longer than a unix socket path can be ("
                    + MAX_SOCKET_PATH + " bytes)");
        }
    }

    private static SeccompAction action(String field, String name) throws ConfigException {
        if (name.isEmpty()) {
            throw ConfigException.field(field, "is required");
        }
        SeccompAction a = SeccompAction.named(name);
        if (a == null) {
            throw ConfigException.field(field, "unknown action \"" + name + "\" (known: "
                    + SpecNamed.list(SeccompAction.values()) + ")");
        }
        return a;
    }
}
