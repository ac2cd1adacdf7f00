package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The filesystem a container sees: runc's default mounts, binds, tmpfs, read-only root, masks, devices. */
class MountTest extends ItBase {

    private static List<MountInfo> mountsInside(Harness h, Bundle b) {
        return MountInfo.parse(h.sh(b, "cat /proc/self/mountinfo").ok().stdout());
    }

    /** The mounts of runc's template, with their types and options. */
    @BothRuntimes
    void defaultMounts(Kind kind) {
        Harness h = harness(kind);
        List<MountInfo> m = mountsInside(h, h.newBundle());

        MountInfo root = MountInfo.at(m, "/");
        assertTrue(root.options().contains("ro"), "root.readonly: " + root);

        assertEquals("proc", MountInfo.at(m, "/proc").fsType());

        MountInfo dev = MountInfo.at(m, "/dev");
        assertEquals("tmpfs", dev.fsType());
        assertTrue(dev.options().contains("nosuid") && dev.superOptions().contains("mode=755") && dev.superOptions().contains("size=65536k"), dev.toString());

        MountInfo pts = MountInfo.at(m, "/dev/pts");
        assertEquals("devpts", pts.fsType());
        assertTrue(pts.options().containsAll(List.of("nosuid", "noexec")), pts.toString());
        assertTrue(pts.superOptions().containsAll(List.of("gid=5", "mode=620", "ptmxmode=666")), pts.toString());

        MountInfo shm = MountInfo.at(m, "/dev/shm");
        assertEquals("tmpfs", shm.fsType());
        assertEquals("shm", shm.source());
        assertTrue(shm.options().containsAll(List.of("nosuid", "noexec", "nodev")) && shm.superOptions().contains("size=65536k"), shm.toString());

        MountInfo mqueue = MountInfo.at(m, "/dev/mqueue");
        assertEquals("mqueue", mqueue.fsType());

        MountInfo sys = MountInfo.at(m, "/sys");
        assertEquals("sysfs", sys.fsType());
        assertTrue(sys.options().containsAll(List.of("ro", "nosuid", "noexec", "nodev")), sys.toString());

        if (Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            // cgroup v2 host: one read-only cgroup2 mount.
            MountInfo cg = MountInfo.at(m, "/sys/fs/cgroup");
            assertEquals("cgroup2", cg.fsType());
            assertTrue(cg.options().contains("ro"), cg.toString());
        } else {
            // cgroup v1 host: /sys/fs/cgroup is a tmpfs holding one read-only cgroup mount per hierarchy.
            assertTrue(MountInfo.has(m, "/sys/fs/cgroup"), m.toString());
            MountInfo memory = MountInfo.at(m, "/sys/fs/cgroup/memory");
            assertEquals("cgroup", memory.fsType());
            assertTrue(memory.options().contains("ro"), memory.toString());
        }
    }

    /** /proc and /sys show the container's own pid and network namespaces; /sys is read-only. */
    @BothRuntimes
    void procAndSysAreTheContainers(Kind kind) {
        Harness h = harness(kind);
        Result r = h.sh(h.newBundle(), "readlink /proc/self; ls /sys/class/net; touch /sys/x 2>&1; echo $?").ok();
        String[] lines = r.stdout().strip().split("\n");
        assertNotEquals("", lines[0]);
        assertTrue(Integer.parseInt(lines[0]) < 10, "/proc is the container's pid namespace's: " + r);
        assertEquals("lo", lines[1]);
        assertTrue(lines[2].contains("Read-only file system"), r.toString());
        assertEquals("1", lines[3]);
    }

    @BothRuntimes
    void bindMountReadWriteAndReadOnly(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path rw = h.hostDir("rw");
        Path ro = h.hostDir("ro");
        Files.writeString(ro.resolve("from-host"), "host data\n");
        Bundle b = h.newBundle().bind(rw, "/mnt/rw", false).bind(ro, "/mnt/ro", true);
        Result r = h.sh(b, "echo written > /mnt/rw/from-container && cat /mnt/ro/from-host && "
                + "(echo x > /mnt/ro/nope) 2>&1; echo status=$?").ok();
        assertEquals("written\n", Files.readString(rw.resolve("from-container")), "a write through the rw bind reaches the host");
        assertTrue(r.stdout().startsWith("host data\n"), r.toString());
        assertTrue(r.stdout().contains("Read-only file system"), r.toString());
        assertTrue(r.stdout().contains("status=1"), r.toString());
        assertFalse(Files.exists(ro.resolve("nope")));
        // The mount points were created inside the rootfs copy, nothing outside.
        assertTrue(Files.isDirectory(b.rootfs().resolve("mnt/rw")));
        List<MountInfo> m = mountsInside(h, b);
        assertTrue(MountInfo.at(m, "/mnt/ro").options().contains("ro"));
        assertTrue(MountInfo.at(m, "/mnt/rw").options().contains("rw"));
    }

    /** A bind mount of a single file. */
    @BothRuntimes
    void bindMountOfAFile(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path dir = h.hostDir("files");
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, "nameserver 192.0.2.1\n");
        Bundle b = h.newBundle().mount("/etc/resolv.conf", "bind", file.toString(), "bind", "ro");
        Result r = h.sh(b, "cat /etc/resolv.conf").ok();
        assertEquals("nameserver 192.0.2.1\n", r.stdout());
    }

    @BothRuntimes
    void tmpfsWithOptions(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().mount("/scratch", "tmpfs", "tmpfs", "nosuid", "noexec", "nodev", "size=1m", "mode=700");
        Result r = h.sh(b, "stat -c %a /scratch; echo data > /scratch/f && cat /scratch/f; grep ' /scratch ' /proc/self/mountinfo").ok();
        String[] lines = r.stdout().strip().split("\n");
        assertEquals("700", lines[0], r.toString());
        assertEquals("data", lines[1], "tmpfs is writable under a read-only root");
        MountInfo m = MountInfo.parse(lines[2]).get(0);
        assertEquals("tmpfs", m.fsType());
        assertTrue(m.options().containsAll(List.of("nosuid", "noexec", "nodev")), m.toString());
        assertTrue(m.superOptions().contains("size=1024k"), m.toString());
    }

    @BothRuntimes
    void readonlyRoot(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().readonlyRoot(true);
        Result r = h.sh(b, "touch /newfile 2>&1; echo status=$?").ok();
        assertTrue(r.stdout().contains("Read-only file system") && r.stdout().contains("status=1"), r.toString());
        assertFalse(Files.exists(b.rootfs().resolve("newfile")));

        b.readonlyRoot(false);
        h.sh(b, "touch /newfile").ok();
        assertTrue(Files.exists(b.rootfs().resolve("newfile")), "writable root writes to the bundle's rootfs");
    }

    /** maskedPaths: files read empty, directories are empty; the host's have content. */
    @BothRuntimes
    void maskedPaths(Kind kind) throws Exception {
        Harness h = harness(kind);
        assertTrue(Files.readString(Path.of("/proc/timer_list")).length() > 0, "host's /proc/timer_list has content");
        Result r = h.sh(h.newBundle(), "wc -c < /proc/timer_list; wc -c < /proc/keys; ls -A /sys/firmware | wc -l; "
                + "grep ' /sys/firmware ' /proc/self/mountinfo").ok();
        List<String> lines = List.of(r.stdout().strip().split("\\s*\n\\s*"));
        assertEquals(List.of("0", "0", "0"), lines.subList(0, 3), r.toString());
        // A masked directory is an empty read-only tmpfs.
        MountInfo firmware = MountInfo.parse(lines.get(3)).get(0);
        assertEquals("tmpfs", firmware.fsType(), firmware.toString());
        assertTrue(firmware.options().contains("ro"), firmware.toString());
    }

    /** readonlyPaths: /proc/sys and the others cannot be written (those that exist on this kernel). */
    @BothRuntimes
    void readonlyPaths(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        Result r = h.sh(b, "cat /proc/sys/kernel/ostype; echo 1 > /proc/sys/net/ipv4/ip_forward; echo status=$?; "
                + "grep -E ' /proc/(sys|bus|fs|irq|sysrq-trigger) ' /proc/self/mountinfo").ok();
        assertTrue(r.stdout().startsWith("Linux\n"), "still readable: " + r);
        assertTrue(r.stdout().contains("status=1"), r.toString());
        assertTrue(r.stderr().contains("Read-only file system"), r.toString());
        List<MountInfo> m = MountInfo.parse(r.stdout().substring(r.stdout().indexOf("status=1") + 9));
        for (String p : List.of("/proc/sys", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sysrq-trigger")) {
            if (!Files.exists(Path.of(p))) {
                continue; // e.g. no /proc/sysrq-trigger without CONFIG_MAGIC_SYSRQ: nothing to protect
            }
            assertTrue(MountInfo.at(m, p).options().contains("ro"), p + " read-only: " + m);
        }
    }

    /** The default devices exist with their numbers and modes; the standard symlinks are there. */
    @BothRuntimes
    void defaultDevices(Kind kind) {
        Harness h = harness(kind);
        Result r = h.sh(h.newBundle(), "for d in null zero full random urandom tty; do "
                + "stat -c '%n %F %t:%T %a %u:%g' /dev/$d; done; "
                + "for l in fd stdin stdout stderr ptmx; do echo /dev/$l $(readlink /dev/$l); done; "
                + "echo hello > /dev/null && head -c 4 /dev/zero | wc -c").ok();
        List<String> lines = List.of(r.stdout().strip().split("\n"));
        assertEquals(List.of(
                "/dev/null character special file 1:3 666 0:0",
                "/dev/zero character special file 1:5 666 0:0",
                "/dev/full character special file 1:7 666 0:0",
                "/dev/random character special file 1:8 666 0:0",
                "/dev/urandom character special file 1:9 666 0:0",
                "/dev/tty character special file 5:0 666 0:0",
                "/dev/fd /proc/self/fd",
                "/dev/stdin /proc/self/fd/0",
                "/dev/stdout /proc/self/fd/1",
                "/dev/stderr /proc/self/fd/2",
                "/dev/ptmx pts/ptmx",
                "4"), lines, r.toString());
    }

    /** linux.devices: a node is created with the given type, numbers, mode and owner. */
    @BothRuntimes
    void linuxDevicesNode(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        ObjectNode dev = b.linux().withArrayProperty("devices").addObject();
        dev.put("path", "/dev/jrtest");
        dev.put("type", "c");
        dev.put("major", 1);
        dev.put("minor", 3);
        dev.put("fileMode", 0660);
        dev.put("uid", 1000);
        dev.put("gid", 2000);
        ObjectNode allow = b.linux().withObjectProperty("resources").withArrayProperty("devices").addObject();
        allow.put("allow", true);
        allow.put("type", "c");
        allow.put("major", 1);
        allow.put("minor", 3);
        allow.put("access", "rwm");
        // The container's user is in group 2000, so the node (0660) is writable without CAP_DAC_OVERRIDE.
        b.user(0, 0, 2000);
        Result r = h.sh(b, "stat -c '%F %t:%T %a %u:%g' /dev/jrtest; echo x > /dev/jrtest && echo written").ok();
        assertEquals("character special file 1:3 660 1000:2000\nwritten\n", r.stdout(), r.toString());
    }
}
