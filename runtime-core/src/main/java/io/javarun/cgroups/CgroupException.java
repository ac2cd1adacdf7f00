package io.javarun.cgroups;

/** A cgroup operation failed; the message names the file, the value and the cause. */
public final class CgroupException extends Exception {
    public CgroupException(String message) {
        super(message);
    }
}
