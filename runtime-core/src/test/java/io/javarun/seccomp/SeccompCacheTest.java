package io.javarun.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.process.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeccompCacheTest {
    @TempDir
    Path root;
    Path helper;
    int euid;

    @BeforeEach
    void setUp() throws IOException {
        helper = Files.writeString(root.resolve("javarun-helper"), "a helper");
        euid = (int) Files.getAttribute(root, "unix:uid");
    }

    private SeccompCache cache() {
        return new SeccompCache(root, helper, euid);
    }

    /** A plan as the planners make it: the SECCOMP op amid others. */
    private static Plan plan(String... seccompFields) {
        return new Plan().add("create the process", "CLONE", "0", "", "", "")
                .add("load the seccomp filter", "SECCOMP", seccompFields)
                .add("exec sh", "EXEC", "/bin/sh");
    }

    private static final String[] PROFILE = {"7fff0000", "4", "c000003e", "0", "1", "mkdir", "5000d", "0"};

    private static List<String> names(Plan p) {
        return p.ops().stream().map(Plan.Op::name).toList();
    }

    @Test
    void aMissAsksForTheProgramAndAHitLoadsItWithTheSameFlagsAndWarnings() {
        Plan first = plan(PROFILE);
        SeccompCache.Use miss = cache().apply(first);
        assertFalse(miss.hit());
        assertEquals(List.of("CLONE", "SECCOMP_EXPORT", "SECCOMP", "EXEC"), names(first));
        assertEquals("load the seccomp filter", first.op(1).step(), "an ERR at the export names the seccomp step");
        miss.store("0011223344556677", List.of("no_such_syscall"));
        assertTrue(Files.isDirectory(root.resolve(SeccompCache.DIR_NAME)));

        Plan second = plan(PROFILE);
        SeccompCache.Use hit = cache().apply(second);
        assertTrue(hit.hit());
        assertEquals(List.of("CLONE", "SECCOMP_BPF", "EXEC"), names(second));
        assertEquals(List.of("4", "0011223344556677"), second.op(1).fields(), "SECCOMP's flags, the stored program");
        assertEquals("load the seccomp filter", second.op(1).step());
        List<String> warned = new java.util.ArrayList<>();
        hit.warnCached(new io.javarun.process.HelperSession.SeccompReports() {
            @Override
            public void unknownSyscalls(List<String> n) {
                warned.addAll(n);
            }

            @Override
            public void listenerFd(int fd) {}
        });
        assertEquals(List.of("no_such_syscall"), warned, "the names libseccomp skipped are warned about again");
    }

    @Test
    void anyChangeOfProfileOrHelperIsAMiss() throws IOException {
        cache().apply(plan(PROFILE)).store("0011223344556677", List.of());
        String[] other = PROFILE.clone();
        other[6] = "50001"; // mkdir: EPERM instead of EACCES
        assertFalse(cache().apply(plan(other)).hit(), "another errno");
        assertTrue(cache().apply(plan(PROFILE)).hit());
        Files.setLastModifiedTime(helper, FileTime.fromMillis(Files.getLastModifiedTime(helper).toMillis() + 5000));
        assertFalse(cache().apply(plan(PROFILE)).hit(), "a helper installed since builds its own programs");
    }

    @Test
    void aDamagedEntryOrADirectoryNotPrivatelyOursIsNotUsed() throws IOException {
        cache().apply(plan(PROFILE)).store("0011223344556677", List.of());
        Path dir = root.resolve(SeccompCache.DIR_NAME);
        Path entry;
        try (var files = Files.list(dir)) {
            entry = files.findFirst().orElseThrow();
        }
        byte[] whole = Files.readAllBytes(entry);
        Files.write(entry, java.util.Arrays.copyOf(whole, whole.length - 3));
        Plan cut = plan(PROFILE);
        assertFalse(cache().apply(cut).hit(), "a cut-off entry is built again");
        assertEquals("SECCOMP", cut.op(2).name());

        Files.write(entry, whole);
        assertTrue(cache().apply(plan(PROFILE)).hit());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertFalse(cache().apply(plan(PROFILE)).hit(), "a directory others may write is not trusted");
        assertFalse(new SeccompCache(root, helper, euid + 1).apply(plan(PROFILE)).hit(), "nor one of another user");
    }

    @Test
    void keepsAtMostMaxEntriesDroppingTheOldest() throws IOException {
        for (int i = 0; i < SeccompCache.MAX_ENTRIES + 3; i++) {
            String[] p = PROFILE.clone();
            p[5] = "syscall" + i;
            cache().apply(plan(p)).store("00112233445566" + String.format("%02x", i), List.of());
            Path dir = root.resolve(SeccompCache.DIR_NAME);
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    // Older by their index, whatever the file system's clock granularity.
                    if (Files.getLastModifiedTime(f).toMillis() > 1_000_000_000_000L) {
                        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000L * (i + 1)));
                    }
                }
            }
        }
        try (var files = Files.list(root.resolve(SeccompCache.DIR_NAME))) {
            assertEquals(SeccompCache.MAX_ENTRIES, files.count());
        }
        String[] newest = PROFILE.clone();
        newest[5] = "syscall" + (SeccompCache.MAX_ENTRIES + 2);
        assertTrue(cache().apply(plan(newest)).hit());
        String[] oldest = PROFILE.clone();
        oldest[5] = "syscall0";
        assertFalse(cache().apply(plan(oldest)).hit());
    }

    @Test
    void aPlanWithoutSeccompIsLeftAlone() {
        Plan p = new Plan().add("create the process", "CLONE", "0", "", "", "");
        SeccompCache.Use use = cache().apply(p);
        assertFalse(use.hit());
        assertEquals(List.of("CLONE"), names(p));
    }

    @Test
    void namesAreSixteenHexDigits() {
        assertEquals(16, SeccompCache.name("").length());
        assertTrue(SeccompCache.name("x").matches("[0-9a-f]{16}"));
        assertFalse(SeccompCache.name("a").equals(SeccompCache.name("b")));
    }
}
