package io.javarun.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this host can confine a process with beyond namespaces, capabilities and seccomp: an LSM
 * (AppArmor, SELinux) and Intel RDT (resctrl). A config asking for one the host lacks is refused:
 * javarun never runs a container with less confinement than its config asked for. Probed only
 * when a config asks (a plain config never loads this class); tests construct it directly.
 */
public record HostSecurity(boolean appArmor, boolean selinux, boolean resctrl) {

    /** This host, as runc decides: AppArmor enabled and its securityfs there; selinuxfs mounted; resctrl mounted. */
    public static HostSecurity probe() {
        return new HostSecurity(appArmorEnabled(), Files.exists(Path.of("/sys/fs/selinux/enforce")),
                Files.exists(Path.of("/sys/fs/resctrl/schemata")));
    }

    private static boolean appArmorEnabled() {
        if (!Files.isDirectory(Path.of("/sys/kernel/security/apparmor"))) {
            return false;
        }
        try {
            byte[] b = Files.readAllBytes(Path.of("/sys/module/apparmor/parameters/enabled"));
            return b.length > 0 && b[0] == 'Y';
        } catch (IOException e) {
            return false;
        }
    }
}
