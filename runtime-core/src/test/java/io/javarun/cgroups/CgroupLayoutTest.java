package io.javarun.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CgroupLayoutTest {
    /** /proc/self/mountinfo of an Ubuntu 20.04 host (systemd hybrid mode), trimmed to the relevant lines. */
    static final String HYBRID_MOUNTINFO = String.join("\n",
            "25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw",
            "26 30 0:24 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw",
            "30 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro",
            "33 25 0:27 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
            "34 33 0:28 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate",
            "35 33 0:29 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd",
            "38 33 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpu,cpuacct",
            "39 33 0:33 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,net_cls,net_prio",
            "40 33 0:34 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,memory",
            "41 33 0:35 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,devices",
            "42 33 0:36 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:19 - cgroup cgroup rw,pids",
            "43 33 0:37 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:20 - cgroup cgroup rw,cpuset,clone_children",
            "44 33 0:38 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:21 - cgroup cgroup rw,freezer",
            "45 33 0:39 / /sys/fs/cgroup/blkio rw,nosuid,nodev,noexec,relatime shared:22 - cgroup cgroup rw,blkio",
            "46 33 0:40 / /sys/fs/cgroup/perf_event rw,nosuid,nodev,noexec,relatime shared:23 - cgroup cgroup rw,perf_event",
            "47 33 0:41 / /sys/fs/cgroup/hugetlb rw,nosuid,nodev,noexec,relatime shared:24 - cgroup cgroup rw,hugetlb",
            "48 33 0:42 / /sys/fs/cgroup/rdma rw,nosuid,nodev,noexec,relatime shared:25 - cgroup cgroup rw,rdma",
            "");

    /** /proc/self/cgroup of a login shell on that host. */
    static final String HYBRID_CGROUP = String.join("\n",
            "12:rdma:/",
            "11:hugetlb:/",
            "10:perf_event:/",
            "9:blkio:/user.slice",
            "8:freezer:/",
            "7:cpuset:/",
            "6:pids:/user.slice/user-1000.slice/session-2.scope",
            "5:devices:/user.slice",
            "4:memory:/user.slice/user-1000.slice/session-2.scope",
            "3:net_cls,net_prio:/",
            "2:cpu,cpuacct:/user.slice",
            "1:name=systemd:/user.slice/user-1000.slice/session-2.scope",
            "0::/user.slice/user-1000.slice/session-2.scope",
            "");

    /** A pure cgroup v2 host (Fedora, Debian 11+, Ubuntu 21.10+). */
    static final String V2_MOUNTINFO = String.join("\n",
            "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw",
            "24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw",
            "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot",
            "");
    static final String V2_CGROUP = "0::/user.slice/user-1000.slice/session-3.scope\n";

    static final String SESSION = "/user.slice/user-1000.slice/session-2.scope";

    private static Hierarchy named(CgroupLayout l, String name) {
        return l.hierarchies().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, Path> dirs(String mountinfo, String cgroup, String cgroupsPath) throws CgroupException {
        return ContainerCgroups.plan(CgroupLayout.parse(mountinfo, cgroup), cgroupsPath, "c1").dirs();
    }

    @Test
    void hybridHostHierarchiesAreFoundWithTheirControllers() {
        CgroupLayout l = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);
        assertTrue(l.isV1());
        assertEquals(List.of("", "name=systemd", "cpu,cpuacct", "net_cls,net_prio", "memory", "devices", "pids",
                "cpuset", "freezer", "blkio", "perf_event", "hugetlb", "rdma"),
                l.hierarchies().stream().map(Hierarchy::name).toList());
        assertEquals(new Hierarchy("cpu,cpuacct", List.of("cpu", "cpuacct"), Path.of("/sys/fs/cgroup/cpu,cpuacct"), "/", false),
                named(l, "cpu,cpuacct"));
        assertEquals(List.of("net_cls", "net_prio"), named(l, "net_cls,net_prio").controllers());
        assertEquals(List.of("cpuset"), named(l, "cpuset").controllers(), "clone_children is not a controller");
        Hierarchy systemd = named(l, "name=systemd");
        assertEquals(List.of(), systemd.controllers());
        assertEquals(Path.of("/sys/fs/cgroup/systemd"), systemd.mountPoint());
        assertEquals("systemd", systemd.containerDirName());
        Hierarchy unified = named(l, "");
        assertTrue(unified.v2());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), unified.mountPoint());
    }

    @Test
    void callerPathsComeFromProcSelfCgroup() {
        CgroupLayout l = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);
        assertEquals("/user.slice", l.callerPath(named(l, "cpu,cpuacct")));
        assertEquals(SESSION, l.callerPath(named(l, "memory")));
        assertEquals(SESSION, l.callerPath(named(l, "name=systemd")));
        assertEquals(SESSION, l.callerPath(named(l, "")));
        assertEquals("/", l.callerPath(named(l, "rdma")));
        // A hierarchy /proc/self/cgroup does not list is taken as the root.
        CgroupLayout partial = CgroupLayout.parse(HYBRID_MOUNTINFO, "4:memory:/x\n");
        assertEquals("/", partial.callerPath(named(partial, "cpu,cpuacct")));
    }

    @Test
    void pureV2HostHasOneUnifiedHierarchy() {
        CgroupLayout l = CgroupLayout.parse(V2_MOUNTINFO, V2_CGROUP);
        assertFalse(l.isV1());
        assertEquals(List.of(new Hierarchy("", List.of(), Path.of("/sys/fs/cgroup"), "/", true)), l.hierarchies());
        assertEquals("/user.slice/user-1000.slice/session-3.scope", l.callerPath(l.hierarchies().get(0)));
    }

    @Test
    void defaultPathIsTheCallersCgroupPlusTheIdOnV1() throws Exception {
        Map<String, Path> d = dirs(HYBRID_MOUNTINFO, HYBRID_CGROUP, "");
        assertEquals(13, d.size());
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice/c1"), d.get("cpu,cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/memory" + SESSION + "/c1"), d.get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/systemd" + SESSION + "/c1"), d.get("name=systemd"));
        assertEquals(Path.of("/sys/fs/cgroup/net_cls,net_prio/c1"), d.get("net_cls,net_prio"));
        assertEquals(Path.of("/sys/fs/cgroup/devices/user.slice/c1"), d.get("devices"));
        assertEquals(Path.of("/sys/fs/cgroup/unified" + SESSION + "/c1"), d.get(""));
    }

    @Test
    void absolutePathIsBelowEachMountPoint() throws Exception {
        Map<String, Path> d = dirs(HYBRID_MOUNTINFO, HYBRID_CGROUP, "/machine/c1");
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/machine/c1"), d.get("cpu,cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/memory/machine/c1"), d.get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/systemd/machine/c1"), d.get("name=systemd"));
        assertEquals(Path.of("/sys/fs/cgroup/unified/machine/c1"), d.get(""));
        // containerd's cgroupfs path on a v2 host.
        assertEquals(Map.of("", Path.of("/sys/fs/cgroup/default/c1")), dirs(V2_MOUNTINFO, V2_CGROUP, "/default/c1"));
    }

    @Test
    void relativePathIsBelowTheCallersCgroupOnV1() throws Exception {
        Map<String, Path> d = dirs(HYBRID_MOUNTINFO, HYBRID_CGROUP, "pods/c1");
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice/pods/c1"), d.get("cpu,cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/memory" + SESSION + "/pods/c1"), d.get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/rdma/pods/c1"), d.get("rdma"));
    }

    @Test
    void dotDotIsCleanedLexically() throws Exception {
        assertEquals(Path.of("/sys/fs/cgroup/memory/b/c1"), dirs(HYBRID_MOUNTINFO, HYBRID_CGROUP, "/a/../b/./c1").get("memory"));
        // Above the root is the root, as filepath.Clean has it.
        assertEquals(Path.of("/sys/fs/cgroup/memory/c1"), dirs(HYBRID_MOUNTINFO, HYBRID_CGROUP, "/../../c1").get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/memory" + SESSION + "/c1"),
                dirs(HYBRID_MOUNTINFO, HYBRID_CGROUP, "x/../c1").get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/memory/a/c1"), dirs(HYBRID_MOUNTINFO, HYBRID_CGROUP, "//a//c1/").get("memory"));
    }

    // Regression (found by this test, since fixed): ContainerCgroups.plan() joins a relative
    // cgroupsPath to the caller's cgroup and then normalises the whole path, so "../" climbs out of the
    // caller's cgroup: with the caller in /user.slice, "../../escape" becomes
    // /sys/fs/cgroup/cpu,cpuacct/escape. runc cleans the cgroupsPath on its own first
    // (libcontainer/utils.CleanPath: a relative path is cleaned as if it started at "/", then made
    // relative again), so it always stays below the caller:
    // /sys/fs/cgroup/cpu,cpuacct/user.slice/escape.
    @Test
    void relativeDotDotStaysBelowTheCallersCgroup() throws Exception {
        Map<String, Path> d = dirs(HYBRID_MOUNTINFO, HYBRID_CGROUP, "../../escape");
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice/escape"), d.get("cpu,cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/memory" + SESSION + "/escape"), d.get("memory"));
    }

    // Regression (found by this test, since fixed): on a pure cgroup v2 host runc
    // (libcontainer/cgroups/fs2/defaultpath.go) puts a relative cgroupsPath (and the default, the id)
    // below the PARENT of the caller's cgroup: "The current user scope most probably has tasks in it
    // already, making it impossible to enable controllers for its sub-cgroup" (the v2
    // no-internal-processes rule). ContainerCgroups.plan() uses the caller's own cgroup, so once
    // resources are written (cgroup.subtree_control of a populated session scope) it fails with EBUSY.
    @Test
    void relativePathOnV2IsBelowTheParentOfTheCallersCgroup() throws Exception {
        assertEquals(Map.of("", Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/c1")), dirs(V2_MOUNTINFO, V2_CGROUP, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a/..", "/../..", "//"})
    void aPathNamingTheRootCgroupIsRefused(String path) {
        CgroupException e = assertThrows(CgroupException.class, () -> dirs(HYBRID_MOUNTINFO, HYBRID_CGROUP, path));
        assertEquals("linux.cgroupsPath \"" + path + "\" names the root cgroup", e.getMessage());
    }

    @Test
    void slicePrefixNameFormIsAPlainNameForTheCgroupfsDriver() throws Exception {
        // As runc 1.1.5 without --systemd-cgroup (checked on the hybrid host): colons and all,
        // relative to the caller's cgroup like any relative path.
        assertEquals(Map.of("", Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/system.slice:docker:c1")),
                dirs(V2_MOUNTINFO, V2_CGROUP, "system.slice:docker:c1"));
        assertEquals(Map.of("", Path.of("/sys/fs/cgroup/a:b:c/d")), dirs(V2_MOUNTINFO, V2_CGROUP, "/a:b:c/d"));
    }

    @Test
    void nestedContainerPathsAreRelativeToTheMountRoot() throws Exception {
        // Inside a container without a cgroup namespace the mount shows /docker/abc as its root
        // while /proc/self/cgroup has the full host path (runc's getCgroupPathHelper).
        String mountinfo = "700 690 0:34 /docker/abc /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:17"
                + " - cgroup cgroup rw,memory\n";
        assertEquals(Map.of("memory", Path.of("/sys/fs/cgroup/memory/c1")), dirs(mountinfo, "4:memory:/docker/abc\n", ""));
        assertEquals(Map.of("memory", Path.of("/sys/fs/cgroup/memory/sub/c1")),
                dirs(mountinfo, "4:memory:/docker/abc/sub\n", ""));
    }

    @Test
    void mountinfoEscapesAreDecoded() {
        String mountinfo = "40 33 0:34 / /sys/fs/cgroup/my\\040memory rw,relatime shared:17 - cgroup cgroup rw,memory\n";
        CgroupLayout l = CgroupLayout.parse(mountinfo, "");
        assertEquals(Path.of("/sys/fs/cgroup/my memory"), l.hierarchies().get(0).mountPoint());
    }

    @Test
    void theFirstMountOfAHierarchyIsUsed() {
        String mountinfo = HYBRID_MOUNTINFO
                + "900 30 0:34 / /var/lib/lxc/c/rootfs/sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n";
        assertEquals(Path.of("/sys/fs/cgroup/memory"),
                named(CgroupLayout.parse(mountinfo, HYBRID_CGROUP), "memory").mountPoint());
    }
}
