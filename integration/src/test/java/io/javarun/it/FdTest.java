package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file descriptors a container's process gets: stdio, plus {@code --preserve-fds N} of the
 * runtime's own (3 .. 3+N-1), plus those of systemd socket activation ($LISTEN_FDS); nothing else
 * of the host leaks in. The runtime is started by a shell that opens fds 3 and 4 on two host files
 * and execs it, as a supervisor passing fds would.
 */
class FdTest extends ItBase {
    /**
     * Prints the container init's fds, one per line, then "end", its LISTEN_ variables, and what
     * fds 3 and 4 read, if open. ls runs as a child, so its own directory fd is not among them, and
     * not in a pipeline, whose pipe the shell would hold while ls runs.
     */
    private static final String SHOW_FDS = "ls /proc/$$/fd; echo end; env | grep ^LISTEN_ | sort; "
            + "if [ -e /proc/$$/fd/3 ]; then echo \"fd3: $(cat <&3)\"; fi; "
            + "if [ -e /proc/$$/fd/4 ]; then echo \"fd4: $(cat <&4)\"; fi";

    /**
     * {@code run [flags] id} with fds 3 and 4 of the runtime open on files reading "three" and
     * "four"; with {@code listenFds}, LISTEN_FDS=1 and LISTEN_PID=<the runtime's pid> too.
     */
    private static Result runWithFds(Harness h, Bundle b, String id, boolean listenFds, String... flags) throws Exception {
        Path files = h.hostDir("fds");
        Files.writeString(files.resolve("three"), "three\n");
        Files.writeString(files.resolve("four"), "four\n");
        // $$ of the shell is the runtime's pid after exec.
        String script = (listenFds ? "export LISTEN_FDS=1 LISTEN_PID=$$; " : "") + "exec 3<\"$1\" 4<\"$2\"; shift 2; exec \"$@\"";
        List<String> wrapper = List.of("bash", "-c", script, "bash", files.resolve("three").toString(), files.resolve("four").toString());
        List<String> args = new ArrayList<>(List.of("run", "--bundle", b.dir().toString()));
        args.addAll(List.of(flags));
        args.add(id);
        b.write();
        return h.startWrapped(wrapper, args.toArray(String[]::new)).await(Runtime.DEFAULT_TIMEOUT);
    }

    /** Without --preserve-fds the runtime's fds 3 and 4 stay out: the process has stdio only. */
    @BothRuntimes
    void onlyStdioWithoutPreserveFds(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().sh(SHOW_FDS);
        String id = h.newId("nofds");
        Result r = runWithFds(h, b, id, false).ok();
        assertEquals("0\n1\n2\nend\n", r.stdout(), r.toString());
        h.assertNothingLeft(id, b);
    }

    /** --preserve-fds N passes exactly fds 3 .. 3+N-1, the same open files, and nothing else. */
    @BothRuntimes
    void preserveFdsPassesExactlyN(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().sh(SHOW_FDS);
        String one = h.newId("fds1");
        Result r = runWithFds(h, b, one, false, "--preserve-fds", "1").ok();
        assertEquals("0\n1\n2\n3\nend\nfd3: three\n", r.stdout(), "fd 3 only: " + r);
        h.assertNothingLeft(one, b);

        String two = h.newId("fds2");
        r = runWithFds(h, b, two, false, "--preserve-fds", "2").ok();
        assertEquals("0\n1\n2\n3\n4\nend\nfd3: three\nfd4: four\n", r.stdout(), "fds 3 and 4: " + r);
        h.assertNothingLeft(two, b);
    }

    /**
     * Socket activation: with LISTEN_FDS=1 and LISTEN_PID the runtime's pid, runc passes fd 3 as
     * well (before the --preserve-fds ones) and sets LISTEN_FDS=1, LISTEN_PID=1 in the container.
     */
    @BothRuntimes
    void listenFdsArePassedToo(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().sh(SHOW_FDS);
        String id = h.newId("listenfds");
        Result r = runWithFds(h, b, id, true, "--preserve-fds", "1").ok();
        assertEquals("0\n1\n2\n3\n4\nend\nLISTEN_FDS=1\nLISTEN_PID=1\nfd3: three\nfd4: four\n", r.stdout(), r.toString());
        h.assertNothingLeft(id, b);
    }
}
