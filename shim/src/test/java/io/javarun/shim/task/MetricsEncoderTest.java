package io.javarun.shim.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javarun.protos.cgroups.v1.Metrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsEncoderTest {
    private static final Map<String, Object> DATA = Map.of(
            "cpu", Map.of("usage", Map.of("total", 5_000_000L, "kernel", 1_000_000L, "user", 4_000_000L,
                    "percpu", List.of(2_000_000L, 3_000_000L)), "throttling", Map.of("periods", 7L, "throttledPeriods", 2L)),
            "memory", Map.of("usage", Map.of("limit", 33554432L, "usage", 1_048_576L, "failcnt", 2L),
                    "raw", Map.of("total_rss", 4096L, "total_pgfault", 11L, "total_pgmajfault", 1L,
                            "total_inactive_file", 8192L, "anon", 12288L, "pgfault", 13L)),
            "pids", Map.of("current", 3L, "limit", 100L));

    /** The v1 fields CRI reads, from runtime-core's runc-shaped stats. */
    @Test
    void v1CarriesWhatCriReads() {
        Metrics m = MetricsEncoder.v1(DATA);
        assertEquals(5_000_000L, m.getCpu().getUsage().getTotal());
        assertEquals(List.of(2_000_000L, 3_000_000L), m.getCpu().getUsage().getPerCpuList());
        assertEquals(7L, m.getCpu().getThrottling().getPeriods());
        assertEquals(2L, m.getCpu().getThrottling().getThrottledPeriods());
        assertEquals(33554432L, m.getMemory().getUsage().getLimit());
        assertEquals(1_048_576L, m.getMemory().getUsage().getUsage());
        assertEquals(4096L, m.getMemory().getTotalRss());
        assertEquals(11L, m.getMemory().getTotalPgFault());
        assertEquals(1L, m.getMemory().getTotalPgMajFault());
        assertEquals(8192L, m.getMemory().getTotalInactiveFile());
        assertEquals(3L, m.getPids().getCurrent());
        assertEquals(100L, m.getPids().getLimit());
    }

    @Test
    void v2UsesMemoryStatNamesAndMicroseconds() {
        io.javarun.protos.cgroups.v2.Metrics m = MetricsEncoder.v2(DATA);
        assertEquals(5_000L, m.getCpu().getUsageUsec());
        assertEquals(12288L, m.getMemory().getAnon());
        assertEquals(13L, m.getMemory().getPgfault());
        assertEquals(1_048_576L, m.getMemory().getUsage());
        assertEquals(33554432L, m.getMemory().getUsageLimit());
    }

    @Test
    void typeUrlsAreBare() {
        assertEquals("io.containerd.cgroups.v1.Metrics", MetricsEncoder.encode(Map.of("data", DATA), false).getTypeUrl());
        assertEquals("io.containerd.cgroups.v2.Metrics", MetricsEncoder.encode(Map.of("data", DATA), true).getTypeUrl());
    }
}
