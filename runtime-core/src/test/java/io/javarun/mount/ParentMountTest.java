package io.javarun.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ParentMountTest {
    private static final String MOUNTINFO = String.join("\n",
            "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw",
            "30 22 0:25 / /work rw,relatime - ext4 /dev/vdb rw",
            "31 30 0:26 / /work/shared\\040dir rw shared:7 master:2 - tmpfs tmpfs rw",
            "32 22 0:27 / /run rw,nosuid - tmpfs tmpfs rw",
            "");

    @Test
    void theLongestContainingMountPointWins() {
        assertEquals(new ParentMount("/work", false), ParentMount.parse(MOUNTINFO, "/work/main/bundle/rootfs"));
        assertEquals(new ParentMount("/", true), ParentMount.parse(MOUNTINFO, "/var/lib/bundle/rootfs"));
        // A prefix is not enough: /runx is not under /run.
        assertEquals(new ParentMount("/", true), ParentMount.parse(MOUNTINFO, "/runx/rootfs"));
    }

    @Test
    void sharedIsReadFromTheOptionalFieldsAndEscapesAreDecoded() {
        assertEquals(new ParentMount("/work/shared dir", true), ParentMount.parse(MOUNTINFO, "/work/shared dir/b/rootfs"));
        assertEquals(new ParentMount("/run", false), ParentMount.parse(MOUNTINFO, "/run"));
    }
}
