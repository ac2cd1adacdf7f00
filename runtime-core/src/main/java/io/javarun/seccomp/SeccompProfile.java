package io.javarun.seccomp;

import java.util.List;

/**
 * {@code linux.seccomp} as config.json gives it. Names stay strings here: {@link SeccompValidator}
 * checks them with the field path, so that a bad one is refused before anything is created.
 *
 * @param defaultAction the action for syscalls no rule matches ("" when absent)
 * @param defaultErrnoRet errno of an ERRNO or TRACE default action (null: EPERM)
 * @param architectures extra SCMP_ARCH_* names the filter covers besides the native one
 * @param flags SECCOMP_FILTER_FLAG_* names; null when absent, which is not the same as an empty
 *     list: runc 1.2 then sets SPEC_ALLOW, and so does javarun
 * @param listenerPath the unix socket a seccomp agent listens on, for SCMP_ACT_NOTIFY ("" if none)
 * @param listenerMetadata opaque text handed to that agent ("" if none)
 */
public record SeccompProfile(String defaultAction, Long defaultErrnoRet, List<String> architectures,
        List<String> flags, String listenerPath, String listenerMetadata, List<Syscall> syscalls) {

    /** {@code syscalls[]}: one action (and errno) for every name, under the conditions of args. */
    public record Syscall(List<String> names, String action, Long errnoRet, List<Arg> args) {
    }

    /** {@code syscalls[].args[]}: argument {@code index} compared with {@code op}. */
    public record Arg(long index, long value, long valueTwo, String op) {
    }

    /** runc's rule: no default action and no syscalls means no filter at all. */
    public boolean enabled() {
        return !defaultAction.isEmpty() || !syscalls.isEmpty();
    }

    /** Whether some syscall is handed to a listener: the filter then comes with a notify fd. */
    public boolean usesNotify() {
        for (Syscall s : syscalls) {
            if (!s.names().isEmpty() && SeccompAction.NOTIFY.specName().equals(s.action())) {
                return true;
            }
        }
        return false;
    }
}
