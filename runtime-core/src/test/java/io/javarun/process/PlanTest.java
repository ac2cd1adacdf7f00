package io.javarun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void encodeStartsWithPlanAndTheOpCountThenOneRecordPerOp() {
        Plan p = new Plan()
                .add("open the exec FIFO", "OPEN_EXEC_FIFO", "/run/javarun/c1/exec.fifo")
                .add("wait for the runtime", "SYNC", "created")
                .add("exec sh", "EXEC", List.of("sh", "-c", "true"));
        List<byte[]> messages = p.encode();
        assertEquals(4, messages.size());
        assertEquals(List.of("PLAN", "3"), Record.decode(messages.get(0)));
        assertEquals(List.of("OPEN_EXEC_FIFO", "/run/javarun/c1/exec.fifo"), Record.decode(messages.get(1)));
        assertEquals(List.of("SYNC", "created"), Record.decode(messages.get(2)));
        assertEquals(List.of("EXEC", "sh", "-c", "true"), Record.decode(messages.get(3)));
    }

    @Test
    void anEmptyPlanIsJustTheHeader() {
        List<byte[]> messages = new Plan().encode();
        assertEquals(1, messages.size());
        assertEquals(List.of("PLAN", "0"), Record.decode(messages.get(0)));
    }

    @Test
    void opsKeepTheirStepForErrorMessages() {
        Plan p = new Plan().add("mount proc at /proc", "MOUNT", "proc", "/proc", "proc", "0", "").add("x", "READY");
        // The helper reports ERR <opindex>: the index must find the step in words.
        assertEquals("mount proc at /proc", p.op(0).step());
        assertEquals(List.of("MOUNT", "proc", "/proc", "proc", "0", ""), p.op(0).record());
        assertNull(p.op(2));
        assertNull(p.op(-1));
        assertEquals(1, p.indexOf("READY"));
        assertEquals(-1, p.indexOf("PIVOT_ROOT"));
    }
}
