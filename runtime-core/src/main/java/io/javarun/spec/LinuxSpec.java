package io.javarun.spec;

import io.javarun.seccomp.SeccompProfile;
import java.util.List;
import java.util.Map;

/**
 * {@code linux}: namespaces, id mappings, devices, masks and the rest of the Linux-only settings.
 * {@code seccomp} and {@code personality} are null when config.json has none; {@code mountLabel}
 * is "" when not set; {@code intelRdt} says whether config.json has a non-empty one.
 */
public record LinuxSpec(
        List<Namespace> namespaces,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, String> sysctl,
        String cgroupsPath,
        List<Device> devices,
        Resources resources,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String rootfsPropagation,
        List<TimeOffset> timeOffsets,
        SeccompProfile seccomp,
        String mountLabel,
        Personality personality,
        boolean intelRdt) {

    /** {@code linux.resources.devices[]}: the device cgroup rules (part of {@link #resources()}). */
    public List<DeviceRule> deviceRules() {
        return resources.devices();
    }

    /** The namespace of that type, or null when the config does not ask for one. */
    public Namespace namespace(NamespaceType type) {
        for (Namespace ns : namespaces) {
            if (ns.type() == type) {
                return ns;
            }
        }
        return null;
    }

    /** True when a new namespace of that type is created (listed without a path). */
    public boolean createsNew(NamespaceType type) {
        Namespace ns = namespace(type);
        return ns != null && ns.path() == null;
    }

    /** {@code linux.namespaces[]}: a type, and a path when an existing namespace is joined. */
    public record Namespace(NamespaceType type, String path) {
    }

    /** {@code linux.uidMappings[]} / {@code gidMappings[]}. */
    public record IdMapping(long containerId, long hostId, long size) {
    }

    /** {@code linux.devices[]}: a device node to create. */
    public record Device(String path, String type, long major, long minor, Integer fileMode, Long uid, Long gid) {
    }

    /** {@code linux.resources.devices[]}: a device cgroup rule. */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
    }

    /** {@code linux.personality}: domain LINUX or LINUX32; flags (the spec defines none). */
    public record Personality(String domain, List<String> flags) {
    }

    /** True when the config asks for a mount label, a personality or Intel RDT. */
    public boolean confined() {
        return !mountLabel.isEmpty() || personality != null || intelRdt;
    }

    /** {@code linux.timeOffsets}: clock is "monotonic" or "boottime". */
    public record TimeOffset(String clock, long secs, long nanosecs) {
    }
}
