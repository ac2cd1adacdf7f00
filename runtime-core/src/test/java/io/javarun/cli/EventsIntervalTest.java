package io.javarun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** events --interval takes Go durations, as runc's flag does. */
class EventsIntervalTest {
    @Test
    void goDurations() {
        assertEquals(5000, Main.goDurationMillis("5s"));
        assertEquals(500, Main.goDurationMillis("500ms"));
        assertEquals(90_000, Main.goDurationMillis("1m30s"));
        assertEquals(1500, Main.goDurationMillis("1.5s"));
        assertEquals(0, Main.goDurationMillis("0"));
    }

    @Test
    void badDurations() {
        for (String bad : new String[] {"", "5", "s", "5x", "1..5s"}) {
            assertThrows(IllegalArgumentException.class, () -> Main.goDurationMillis(bad), bad);
        }
    }
}
