package io.javarun.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
    // MS_* values from linux/mount.h, written out here rather than taken from MountFlags.
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_REMOUNT = 32;
    static final long MS_NOATIME = 1024;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_UNBINDABLE = 1 << 17;
    static final long MS_PRIVATE = 1 << 18;
    static final long MS_SLAVE = 1 << 19;
    static final long MS_SHARED = 1 << 20;
    static final long MS_RELATIME = 1 << 21;
    static final long MS_STRICTATIME = 1 << 24;

    private static MountOptions parse(String... options) throws Exception {
        return MountOptions.parse(List.of(options));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "ro, 1", "nosuid, 2", "nodev, 4", "noexec, 8", "sync, 16", "remount, 32", "mand, 64", "dirsync, 128",
        "nosymfollow, 256", "noatime, 1024", "nodiratime, 2048", "bind, 4096", "rbind, 20480",
        "relatime, 2097152", "strictatime, 16777216", "lazytime, 33554432", "defaults, 0",
    })
    void eachFlagOptionSetsItsMsFlag(String option, long flag) throws Exception {
        MountOptions o = parse(option);
        assertEquals(flag, o.flags());
        assertEquals(0, o.propagation());
        assertEquals("", o.data());
    }

    @Test
    void runcDefaultMountsGiveTheFlagsAndDataRuncPasses() throws Exception {
        MountOptions dev = parse("nosuid", "strictatime", "mode=755", "size=65536k");
        assertEquals(MS_NOSUID | MS_STRICTATIME, dev.flags());
        assertEquals("mode=755,size=65536k", dev.data());

        MountOptions pts = parse("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        assertEquals(MS_NOSUID | MS_NOEXEC, pts.flags());
        assertEquals("newinstance,ptmxmode=0666,mode=0620,gid=5", pts.data());

        MountOptions cgroup = parse("nosuid", "noexec", "nodev", "relatime", "ro");
        assertEquals(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY, cgroup.flags());
        assertEquals("", cgroup.data());
    }

    @Test
    void laterOptionsClearEarlierOnes() throws Exception {
        assertEquals(0, parse("ro", "rw").flags());
        assertEquals(MS_RDONLY, parse("rw", "ro").flags());
        assertEquals(MS_NODEV, parse("nosuid", "nodev", "suid").flags());
        assertEquals(MS_NOSUID, parse("nodev", "nosuid", "dev").flags());
        assertEquals(0, parse("noexec", "exec").flags());
        assertEquals(0, parse("noatime", "atime").flags());
        assertEquals(0, parse("relatime", "norelatime").flags());
        assertEquals(0, parse("strictatime", "nostrictatime").flags());
        assertEquals(MS_BIND | MS_REC | MS_RDONLY, parse("rbind", "rw", "ro").flags());
    }

    @Test
    void propagationOptionsAreSeparateFromFlags() throws Exception {
        assertEquals(MS_PRIVATE, parse("private").propagation());
        assertEquals(MS_PRIVATE | MS_REC, parse("rprivate").propagation());
        assertEquals(MS_SHARED, parse("shared").propagation());
        assertEquals(MS_SHARED | MS_REC, parse("rshared").propagation());
        assertEquals(MS_SLAVE, parse("slave").propagation());
        assertEquals(MS_SLAVE | MS_REC, parse("rslave").propagation());
        assertEquals(MS_UNBINDABLE, parse("unbindable").propagation());
        assertEquals(MS_UNBINDABLE | MS_REC, parse("runbindable").propagation());
        MountOptions o = parse("rbind", "ro", "rslave");
        assertEquals(MS_BIND | MS_REC | MS_RDONLY, o.flags());
        assertEquals(MS_SLAVE | MS_REC, o.propagation());
        assertEquals("", o.data());
    }

    @Test
    void dataOptionsAreKeptInOrder() throws Exception {
        assertEquals("size=65536k,mode=755,uid=1000", parse("size=65536k", "nosuid", "mode=755", "ro", "uid=1000").data());
        assertEquals("lowerdir=/a:/b,upperdir=/u,workdir=/w",
                parse("lowerdir=/a:/b", "upperdir=/u", "workdir=/w").data());
    }

    @Test
    void remountFlagsDropTheBindAndRemountBits() throws Exception {
        // A bind mount ignores ro/nosuid/...: they must be applied by a bind remount.
        assertEquals(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                parse("rbind", "remount", "nosuid", "noexec", "nodev", "ro").remountFlags());
        assertEquals(0, parse("bind").remountFlags());
        assertEquals(MS_NOATIME, parse("rbind", "noatime").remountFlags());
        assertEquals(MS_REMOUNT, parse("remount").flags());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmpcopyup", "rro", "rrw", "rnosuid", "rnoexec", "idmap", "ridmap", "rnoatime"})
    void unsupportedRuncExtensionsAreRefusedByName(String option) {
        MountOptions.UnsupportedOptionException e = assertThrows(MountOptions.UnsupportedOptionException.class,
                () -> parse("nosuid", option, "mode=755"));
        assertEquals("mount option \"" + option + "\" is not supported yet", e.getMessage());
    }
}
