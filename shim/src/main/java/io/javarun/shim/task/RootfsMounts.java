package io.javarun.shim.task;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.mount.MountFlags;
import io.javarun.mount.MountOptions;
import io.javarun.protos.types.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rootfs containerd hands to Create (a snapshot: overlay, or a bind of a directory) mounted
 * onto bundle/rootfs by the shim, as runc's shim does, and unmounted at Delete.
 */
final class RootfsMounts {
    private RootfsMounts() {}

    /** Mounts each in order onto {@code rootfs}; on failure unmounts what it did and throws. */
    static List<Path> mount(List<Mount> mounts, Path rootfs) throws IOException {
        List<Path> done = new ArrayList<>();
        if (mounts.isEmpty()) {
            return done;
        }
        Files.createDirectories(rootfs);
        for (Mount m : mounts) {
            Path target = m.getTarget().isEmpty() ? rootfs : rootfs.resolve(m.getTarget().replaceFirst("^/+", ""));
            MountOptions o;
            try {
                o = MountOptions.parse(m.getOptionsList());
            } catch (MountOptions.UnsupportedOptionException e) {
                unmount(done);
                throw new IOException("mount " + m.getType() + " on " + target + ": " + e.getMessage());
            }
            boolean bind = m.getType().equals("bind") || (o.flags() & MountFlags.BIND) != 0;
            long flags = o.flags() | (bind ? MountFlags.BIND : 0);
            try {
                if (!bind) {
                    mountWithData(m, target, flags, o.data());
                    done.add(target);
                } else {
                    LinuxNative.mount(m.getSource(), target.toString(), null, flags & ~MountFlags.RDONLY, null);
                    done.add(target);
                    if ((flags & MountFlags.RDONLY) != 0) {
                        // A bind ignores ro on the first call: it takes a remount.
                        LinuxNative.mount(null, target.toString(), null,
                                MountFlags.BIND | MountFlags.REMOUNT | MountFlags.RDONLY, null);
                    }
                }
            } catch (ErrnoException e) {
                unmount(done);
                throw new IOException("mount " + m.getType() + " " + m.getSource() + " on " + target + " (options "
                        + String.join(",", m.getOptionsList()) + "): " + e.reason().toLowerCase(), e);
            }
        }
        return done;
    }

    /** mount(2), with overlay data too long for one page passed through an fd of the layers' parent. */
    private static void mountWithData(Mount m, Path target, long flags, String data) throws ErrnoException {
        String parent = data.length() > OverlayOptions.MAX_DATA && m.getType().equals("overlay")
                ? OverlayOptions.commonParent(data) : null;
        if (parent == null) {
            LinuxNative.mount(m.getSource(), target.toString(), m.getType(), flags, data.isEmpty() ? null : data);
            return;
        }
        int fd = LinuxNative.open(parent, LinuxNative.O_PATH | LinuxNative.O_DIRECTORY, 0);
        try {
            LinuxNative.mount(m.getSource(), target.toString(), m.getType(), flags,
                    OverlayOptions.rewrite(data, parent, "/proc/self/fd/" + fd));
        } finally {
            LinuxNative.close(fd);
        }
    }

    /** Unmounts in reverse order; lazily if busy (a process still holding it must not block delete). */
    static List<String> unmount(List<Path> mounts) {
        List<String> failures = new ArrayList<>();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            String target = mounts.get(i).toString();
            try {
                LinuxNative.umount(target, 0);
            } catch (ErrnoException e) {
                try {
                    LinuxNative.umount(target, LinuxNative.MNT_DETACH);
                } catch (ErrnoException e2) {
                    failures.add("unmount " + target + ": " + e2.reason().toLowerCase());
                }
            }
        }
        mounts.clear();
        return failures;
    }
}
