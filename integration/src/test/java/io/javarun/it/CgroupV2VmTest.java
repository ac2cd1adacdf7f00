package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * cgroup v2, for real: this host is hybrid (v1 controllers), so integration/vm boots a qemu guest
 * with Debian's 6.1 kernel and cgroup v2 alone (built once, then cached), hands it this build of
 * javarun, and runs guest-tests.sh there: each scenario with runc and javarun side by side
 * (every resource read back, events --stats, the eBPF device filter, pause/resume, update, ps,
 * kill --all, OOM in events, delete). Each RESULT line of the guest's console is one test here;
 * a failure shows the guest's output. {@code -Djavarun.vm=skip} leaves it out.
 */
class CgroupV2VmTest {
    /** Every part of guest-tests.sh: a section that printed nothing is a failure too. */
    private static final String[] SECTIONS = {"resources/", "stats/", "devices/", "pause/", "resume/", "ps/",
        "update/", "kill--all/", "delete/", "oom/", "failed-create/"};

    private static Path console;
    private static String output = "";
    private static int exitCode = -1;
    private static long seconds;

    @BeforeAll
    static void bootGuestAndRunSuite() throws Exception {
        Assumptions.assumeFalse("skip".equals(System.getProperty("javarun.vm")), "-Djavarun.vm=skip");
        Repo.requireRoot();
        Path work = Repo.root().resolve("integration/target/vm");
        Files.createDirectories(work);
        console = work.resolve("console.log");
        ProcessBuilder pb = new ProcessBuilder(Repo.root().resolve("integration/vm/run-vm-tests.sh").toString(),
                Repo.root().toString(), work.toString())
                .redirectErrorStream(true).redirectOutput(console.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        new java.io.File("/dev/null")));
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        } else {
            exitCode = p.exitValue();
        }
        seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        output = read(console);
        System.out.println("cgroup v2 guest: image, boot and suite in " + seconds + " s; console: " + console);
    }

    private static String read(Path file) throws IOException {
        // The console carries the firmware's escape sequences: read bytes as they are.
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    private static List<String[]> results() {
        List<String[]> out = new ArrayList<>();
        for (String line : output.split("\r?\n")) {
            int at = line.indexOf("RESULT ");
            if (at < 0 || line.startsWith("RESULTS", at)) {
                continue;
            }
            // RESULT <name> PASS|FAIL <detail>: names may have spaces, so the status is the first
            // " PASS" or " FAIL".
            String rest = line.substring(at + 7);
            int status = rest.indexOf(" PASS");
            int failed = rest.indexOf(" FAIL");
            int cut = status >= 0 && (failed < 0 || status < failed) ? status : failed;
            if (cut < 0) {
                out.add(new String[] {rest, "?", ""});
            } else {
                out.add(new String[] {rest.substring(0, cut), rest.substring(cut + 1, cut + 5),
                    rest.substring(Math.min(rest.length(), cut + 6))});
            }
        }
        return out;
    }

    private static String tail() {
        return "\n---- guest console (" + console + "), last 6000 characters ----\n"
                + output.substring(Math.max(0, output.length() - 6000));
    }

    @TestFactory
    List<DynamicTest> everyGuestCheckPasses() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] r : results()) {
            tests.add(DynamicTest.dynamicTest(r[0], () -> assertEquals("PASS", r[1],
                    r[0] + ": " + r[2] + tail())));
        }
        return tests;
    }

    @Test
    void suiteRanToTheEndInTime() {
        if (exitCode != 0) {
            fail("run-vm-tests.sh exited with " + exitCode + " after " + seconds + " s" + tail());
        }
        assertTrue(output.contains("RESULTS DONE passed="), "the guest suite did not finish" + tail());
        assertTrue(output.matches("(?s).*RESULTS DONE passed=\\d+ failed=0.*"), "failures in the guest" + tail());
        List<String[]> results = results();
        for (String section : SECTIONS) {
            boolean seen = false;
            for (String[] r : results) {
                seen |= r[0].startsWith(section);
            }
            assertTrue(seen, "no " + section + " result from the guest" + tail());
        }
    }
}
