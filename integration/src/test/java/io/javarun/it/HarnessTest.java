package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leftovers checker must see a live container, or every "nothing left" assertion of the
 * suite would pass vacuously. Checked on runc, the reference.
 */
class HarnessTest extends ItBase {

    @Test
    void leftoversCheckerSeesALiveContainer() {
        Harness h = harness(Kind.RUNC);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("seen");
        h.run(b, id, "-d").ok();
        int pid = h.state(id).get("pid").asInt();

        assertNotNull(Leftovers.livesIn(pid, b.dir()), "a pivoted container process is found through its mount namespace's root");
        List<String> found = Leftovers.find(h.rt(), id, b.dir());
        String all = String.join("\n", found);
        assertTrue(found.stream().anyMatch(f -> f.startsWith("state directory")), all);
        assertTrue(found.stream().anyMatch(f -> f.startsWith("process " + pid + " ")), all);
        assertTrue(found.stream().anyMatch(f -> f.startsWith("cgroup ")), all);

        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
        assertFalse(Procs.alive(pid));
    }
}
