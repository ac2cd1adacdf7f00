package io.javarun.container;

import io.javarun.linux.HostSecurity;
import io.javarun.mount.MountOptions;
import io.javarun.process.CapabilityNames;
import io.javarun.seccomp.SeccompFeatures;
import io.javarun.spec.NamespaceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime-spec Features structure `javarun features` prints, in runc's shape. It lists what
 * javarun implements now, so that callers do not send it what it would refuse: AppArmor and
 * SELinux are enabled where this host has them (javarun refuses a label it cannot apply); Intel
 * RDT and the systemd cgroup driver are reported as absent until their work lands.
 */
public final class RuntimeFeatures {
    private RuntimeFeatures() {}

    public static Map<String, Object> describe() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ociVersionMin", "1.0.0");
        f.put("ociVersionMax", RuntimeVersion.SPEC);
        f.put("hooks", new ArrayList<Object>(List.of("prestart", "createRuntime", "createContainer",
                "startContainer", "poststart", "poststop")));
        f.put("mountOptions", new ArrayList<Object>(MountOptions.recognised()));
        Map<String, Object> linux = new LinkedHashMap<>();
        List<String> namespaces = new ArrayList<>();
        for (NamespaceType t : NamespaceType.values()) {
            namespaces.add(t.specName());
        }
        Collections.sort(namespaces);
        linux.put("namespaces", new ArrayList<Object>(namespaces));
        linux.put("capabilities", new ArrayList<Object>(hostCapabilities()));
        Map<String, Object> cgroup = new LinkedHashMap<>();
        cgroup.put("v1", true);
        cgroup.put("v2", true);
        cgroup.put("systemd", false);
        cgroup.put("systemdUser", false);
        linux.put("cgroup", cgroup);
        linux.put("seccomp", SeccompFeatures.describe());
        HostSecurity host = HostSecurity.probe();
        linux.put("apparmor", enabled(host.appArmor()));
        linux.put("selinux", enabled(host.selinux()));
        linux.put("intelRdt", enabled(false));
        Map<String, Object> idmap = new LinkedHashMap<>();
        idmap.put("idmap", enabled(false));
        linux.put("mountExtensions", idmap);
        f.put("linux", linux);
        Map<String, Object> annotations = new LinkedHashMap<>();
        String libseccomp = SeccompFeatures.libseccompVersion();
        if (libseccomp != null) {
            annotations.put(SeccompFeatures.LIBSECCOMP_ANNOTATION, libseccomp);
        }
        annotations.put("io.javarun.commit", RuntimeVersion.COMMIT);
        annotations.put("io.javarun.version", RuntimeVersion.VERSION);
        f.put("annotations", annotations);
        return f;
    }

    /** The capabilities javarun knows that this kernel has (up to /proc/sys/kernel/cap_last_cap). */
    static List<String> hostCapabilities() {
        List<String> all = CapabilityNames.all();
        int last = all.size() - 1;
        try {
            // Line-wise: Files.readString returns only the first byte of a /proc/sys file ("4" for
            // "40"), a JDK 17 read of a file whose size shows as 0.
            List<String> lines = Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap"));
            last = Math.min(last, Integer.parseInt(lines.get(0).trim()));
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            // Unknown kernel: every name javarun knows.
        }
        return all.subList(0, last + 1);
    }

    private static Map<String, Object> enabled(boolean on) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", on);
        return m;
    }
}
