package io.javarun.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerStatsTest {
    @Test
    void cpusetRanges() {
        assertEquals(List.of(0L, 1L, 2L, 4L), ContainerStats.ranges("0-2,4\n"));
        assertEquals(List.of(), ContainerStats.ranges(""));
    }

    @Test
    void keyValuesAndUnsignedNumbers() {
        assertEquals("{cache=0, rss=49152}", ContainerStats.keyValues("cache 0\nrss 49152\n").toString());
        assertEquals(-1L, ContainerStats.num("18446744073709551615"));
        assertEquals(-1L, ContainerStats.num("-1"));
        assertEquals(0L, ContainerStats.num("max"));
    }
}
