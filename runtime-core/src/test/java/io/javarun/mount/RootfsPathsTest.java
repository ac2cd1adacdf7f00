package io.javarun.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsPathsTest {
    @TempDir
    Path dir;

    Path root;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("rootfs"));
    }

    private void link(String at, String target) throws IOException {
        Path p = root.resolve(at);
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, Path.of(target));
    }

    private void mkdir(String at) throws IOException {
        Files.createDirectories(root.resolve(at));
    }

    @Test
    void plainPathsMapBelowTheRootfs() throws Exception {
        mkdir("etc");
        assertEquals(root.resolve("etc/hosts"), RootfsPaths.resolve(root, "/etc/hosts"));
        assertEquals(root, RootfsPaths.resolve(root, "/"));
        assertEquals(root.resolve("etc"), RootfsPaths.resolve(root, "//etc/./"));
    }

    @Test
    void nestedSymlinksAreFollowed() throws Exception {
        mkdir("opt/app/current-1.2");
        link("opt/app/current", "current-1.2");
        link("app", "opt/app/current");
        link("srv", "/app");
        assertEquals(root.resolve("opt/app/current-1.2/config"), RootfsPaths.resolve(root, "/srv/config"));
    }

    @Test
    void absoluteLinksStayInTheRoot() throws Exception {
        // Debian/Ubuntu: /var/run -> /run. From the host it would point at the host's /run.
        mkdir("run");
        link("var/run", "/run");
        assertEquals(root.resolve("run/secrets"), RootfsPaths.resolve(root, "/var/run/secrets"));
        // An absolute link to "/" is the rootfs itself.
        link("rootlink", "/");
        assertEquals(root.resolve("etc"), RootfsPaths.resolve(root, "/rootlink/etc"));
    }

    @Test
    void relativeLinksWithDotDotInsideTheRootAreFine() throws Exception {
        mkdir("usr/lib");
        link("lib", "usr/lib");
        link("usr/lib64", "../lib");
        assertEquals(root.resolve("usr/lib/ld.so"), RootfsPaths.resolve(root, "/usr/lib64/ld.so"));
    }

    @Test
    void dotDotAsWrittenIsCleanedLexically() throws Exception {
        // "/../../etc" is "/etc" inside the container: only a ".." out of a symlink can try to escape.
        assertEquals(root.resolve("etc/passwd"), RootfsPaths.resolve(root, "/../../etc/passwd"));
        assertEquals(root.resolve("b"), RootfsPaths.resolve(root, "/a/../b"));
    }

    @Test
    void dotDotEscapeThroughASymlinkIsRefused() throws Exception {
        link("escape", "../../../../tmp");
        RootfsPaths.EscapeException e = assertThrows(RootfsPaths.EscapeException.class,
                () -> RootfsPaths.resolve(root, "/escape/x"));
        assertTrue(e.getMessage().contains("/escape/x"), e.getMessage());
        assertTrue(e.getMessage().contains("leaves the rootfs"), e.getMessage());
    }

    @Test
    void escapeFromADeeperDirectoryIsRefused() throws Exception {
        mkdir("a/b");
        link("a/b/up", "../../..");
        assertThrows(RootfsPaths.EscapeException.class, () -> RootfsPaths.resolve(root, "/a/b/up/etc"));
        // One level less stays at the root.
        link("a/b/top", "../..");
        assertEquals(root.resolve("etc"), RootfsPaths.resolve(root, "/a/b/top/etc"));
    }

    @Test
    void escapingLinkAsTheLastComponentIsRefused() throws Exception {
        link("etc/resolv.conf", "../../../run/resolv.conf");
        assertThrows(RootfsPaths.EscapeException.class, () -> RootfsPaths.resolve(root, "/etc/resolv.conf"));
    }

    @Test
    void missingTrailingComponentsAreKept() throws Exception {
        mkdir("var");
        assertEquals(root.resolve("var/lib/app/data"), RootfsPaths.resolve(root, "/var/lib/app/data"));
        assertEquals(root.resolve("does/not/exist"), RootfsPaths.resolve(root, "/does/not/exist"));
    }

    @Test
    void danglingLinksResolveToWhereTheyWouldPoint() throws Exception {
        link("data", "/srv/missing/data");
        assertEquals(root.resolve("srv/missing/data/file"), RootfsPaths.resolve(root, "/data/file"));
    }

    @Test
    void symlinkLoopsAreRefused() throws Exception {
        link("a", "b");
        link("b", "a");
        RootfsPaths.EscapeException e = assertThrows(RootfsPaths.EscapeException.class,
                () -> RootfsPaths.resolve(root, "/a/x"));
        assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
        link("self", "/self");
        assertThrows(RootfsPaths.EscapeException.class, () -> RootfsPaths.resolve(root, "/self"));
    }

    @Test
    void followsAsManyLinksAsTheKernel() throws Exception {
        // Linux gives up after 40 links (MAXSYMLINKS): a chain of 40 resolves, 41 does not.
        mkdir("target");
        for (int i = 0; i < 40; i++) {
            link("l" + i, i == 39 ? "target" : "l" + (i + 1));
        }
        assertEquals(root.resolve("target/f"), RootfsPaths.resolve(root, "/l0/f"));
        link("m", "l0");
        assertThrows(RootfsPaths.EscapeException.class, () -> RootfsPaths.resolve(root, "/m/f"));
    }
}
