package io.javarun.cgroups.devices;

import io.javarun.cgroups.CgroupException;
import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a device filter and attaches it to a cgroup v2 directory, as runc does: with
 * BPF_F_ALLOW_MULTI, in place of the one program already there (BPF_F_REPLACE, so that there is
 * no moment without a filter), or next to several which are then detached. The program stays
 * attached after the fds are closed, until it is replaced or the cgroup is removed.
 */
public final class DeviceFilterAttach {
    private DeviceFilterAttach() {}

    public static void attach(Path cgroupDir, List<BpfInstruction> program) throws CgroupException {
        LinuxNative.load();
        int dirFd;
        try {
            dirFd = LinuxNative.openReadOnly(cgroupDir.toString());
        } catch (ErrnoException e) {
            throw failure(cgroupDir, "open: " + e.reason().toLowerCase());
        }
        try {
            int[] old = LinuxNative.bpfQueryDevicePrograms(dirFd);
            int prog = LinuxNative.bpfLoadDeviceProgram(DeviceFilter.encode(program), DeviceFilter.LICENSE);
            try {
                if (old.length == 1 && replace(dirFd, prog, old[0])) {
                    return;
                }
                LinuxNative.bpfAttachDeviceProgram(dirFd, prog, -1);
                for (int id : old) {
                    int fd = LinuxNative.bpfProgramFdById(id);
                    try {
                        LinuxNative.bpfDetachDeviceProgram(dirFd, fd);
                    } finally {
                        LinuxNative.closeQuietly(fd);
                    }
                }
            } finally {
                LinuxNative.closeQuietly(prog);
            }
        } catch (ErrnoException e) {
            throw failure(cgroupDir, e.call() + ": " + e.reason().toLowerCase());
        } finally {
            LinuxNative.closeQuietly(dirFd);
        }
    }

    /** Attaches in place of the program {@code oldId}; false when the kernel has no BPF_F_REPLACE (before 5.6). */
    private static boolean replace(int dirFd, int prog, int oldId) throws ErrnoException {
        int oldFd = LinuxNative.bpfProgramFdById(oldId);
        try {
            LinuxNative.bpfAttachDeviceProgram(dirFd, prog, oldFd);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == 22) { // EINVAL: no BPF_F_REPLACE; attach, then detach the old one
                return false;
            }
            throw e;
        } finally {
            LinuxNative.closeQuietly(oldFd);
        }
    }

    private static CgroupException failure(Path dir, String cause) {
        return new CgroupException("linux.resources.devices: attach the device filter to " + dir + ": " + cause);
    }
}
