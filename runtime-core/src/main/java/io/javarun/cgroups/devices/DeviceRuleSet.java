package io.javarun.cgroups.devices;

import io.javarun.spec.LinuxSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a list of device rules applied in order with cgroup v1's devices-controller
 * semantics, which the eBPF filter on v2 must reproduce (runc emulates v1 the same way): a rule of
 * type "a" resets everything to allow-all or deny-all; any other rule adds an exception to the
 * default or takes access away from an exception for exactly that device, the kernel's
 * dev_exception_add / dev_exception_rm. What is left is a default and a list of exceptions that
 * all have the opposite verdict, so their order no longer matters.
 */
public final class DeviceRuleSet {
    /** One exception: type 'c' or 'b', major/minor (-1: any), access bits (ACCESS_*). */
    public record Entry(char type, long major, long minor, int access) {
    }

    public static final int ACCESS_MKNOD = 1; // BPF_DEVCG_ACC_MKNOD
    public static final int ACCESS_READ = 2; // BPF_DEVCG_ACC_READ
    public static final int ACCESS_WRITE = 4; // BPF_DEVCG_ACC_WRITE
    public static final int ACCESS_ALL = ACCESS_MKNOD | ACCESS_READ | ACCESS_WRITE;

    private boolean defaultAllow;
    private final List<Entry> exceptions = new ArrayList<>();

    private DeviceRuleSet() {}

    /** Applies the rules in order, starting from deny-all (a new cgroup of runc's). */
    public static DeviceRuleSet of(List<LinuxSpec.DeviceRule> rules) {
        DeviceRuleSet set = new DeviceRuleSet();
        for (LinuxSpec.DeviceRule r : rules) {
            set.apply(r);
        }
        return set;
    }

    public boolean defaultAllow() {
        return defaultAllow;
    }

    /** The exceptions, oldest first; each has the verdict {@code !defaultAllow()}. */
    public List<Entry> exceptions() {
        return exceptions;
    }

    private void apply(LinuxSpec.DeviceRule r) {
        if (r.type().equals("a")) {
            defaultAllow = r.allow();
            exceptions.clear();
            return;
        }
        char type = r.type().charAt(0);
        long major = r.major() == null ? -1 : r.major();
        long minor = r.minor() == null ? -1 : r.minor();
        int access = access(r.access());
        if (r.allow() != defaultAllow) {
            add(type, major, minor, access);
        } else {
            remove(type, major, minor, access);
        }
    }

    /** Merges into an exception for the same device, or appends a new one. */
    private void add(char type, long major, long minor, int access) {
        for (int i = 0; i < exceptions.size(); i++) {
            Entry e = exceptions.get(i);
            if (e.type() == type && e.major() == major && e.minor() == minor) {
                exceptions.set(i, new Entry(type, major, minor, e.access() | access));
                return;
            }
        }
        exceptions.add(new Entry(type, major, minor, access));
    }

    /** Takes the access away from an exception for the same device; one left with none goes. */
    private void remove(char type, long major, long minor, int access) {
        for (int i = 0; i < exceptions.size(); i++) {
            Entry e = exceptions.get(i);
            if (e.type() == type && e.major() == major && e.minor() == minor) {
                int left = e.access() & ~access;
                if (left == 0) {
                    exceptions.remove(i);
                } else {
                    exceptions.set(i, new Entry(type, major, minor, left));
                }
                return;
            }
        }
    }

    static int access(String rwm) {
        int a = 0;
        for (int i = 0; i < rwm.length(); i++) {
            char c = rwm.charAt(i);
            a |= c == 'r' ? ACCESS_READ : c == 'w' ? ACCESS_WRITE : c == 'm' ? ACCESS_MKNOD : 0;
        }
        return a;
    }
}
