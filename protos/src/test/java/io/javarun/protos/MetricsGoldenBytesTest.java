package io.javarun.protos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import io.javarun.protos.task.StatsResponse;
import io.javarun.ttrpc.Hex;
import org.junit.jupiter.api.Test;

/**
 * Small cgroups Metrics, byte for byte, with bytes worked out by hand from the field numbers (not
 * from protoc): the values CRI reads, and the Stats reply that carries them with a bare type URL.
 */
class MetricsGoldenBytesTest {
    /**
     * v1: cpu(3){usage(1){total(1)=1000}}, memory(4){total_rss(19)=4096, usage(33){limit(1)=8192,
     * usage(2)=2048}}. Tags above 15 take two bytes: 19<<3 = 152 = 98 01, 33<<3|2 = 266 = 8a 02.
     */
    static final byte[] V1 = Hex.bytes("1a 05 0a 03 08 e8 07"
            + " 22 0d 98 01 80 20 8a 02 06 08 80 40 10 80 10");

    /**
     * v2: cpu(2){usage_usec(1)=1000}, memory(4){anon(1)=4096, usage(32)=2048, usage_limit(33)=8192},
     * memory_events(8){oom_kill(5)=1}. 32<<3 = 256 = 80 02, 33<<3 = 264 = 88 02.
     */
    static final byte[] V2 = Hex.bytes("12 03 08 e8 07"
            + " 22 0b 08 80 20 80 02 80 10 88 02 80 40"
            + " 42 02 28 01");

    static io.javarun.protos.cgroups.v1.Metrics v1() {
        var b = io.javarun.protos.cgroups.v1.Metrics.newBuilder();
        b.getCpuBuilder().getUsageBuilder().setTotal(1000);
        b.getMemoryBuilder().setTotalRss(4096).getUsageBuilder().setLimit(8192).setUsage(2048);
        return b.build();
    }

    static io.javarun.protos.cgroups.v2.Metrics v2() {
        var b = io.javarun.protos.cgroups.v2.Metrics.newBuilder();
        b.getCpuBuilder().setUsageUsec(1000);
        b.getMemoryBuilder().setAnon(4096).setUsage(2048).setUsageLimit(8192);
        b.getMemoryEventsBuilder().setOomKill(1);
        return b.build();
    }

    @Test
    void v1Encodes() {
        assertEquals(Hex.hex(V1), Hex.hex(v1().toByteArray()));
    }

    @Test
    void v1Decodes() throws Exception {
        var m = io.javarun.protos.cgroups.v1.Metrics.parseFrom(V1);
        assertEquals(1000, m.getCpu().getUsage().getTotal());
        assertEquals(4096, m.getMemory().getTotalRss());
        assertEquals(8192, m.getMemory().getUsage().getLimit());
        assertEquals(2048, m.getMemory().getUsage().getUsage());
        assertEquals(v1(), m);
    }

    @Test
    void v2Encodes() {
        assertEquals(Hex.hex(V2), Hex.hex(v2().toByteArray()));
    }

    @Test
    void v2Decodes() throws Exception {
        var m = io.javarun.protos.cgroups.v2.Metrics.parseFrom(V2);
        assertEquals(1000, m.getCpu().getUsageUsec());
        assertEquals(4096, m.getMemory().getAnon());
        assertEquals(2048, m.getMemory().getUsage());
        assertEquals(8192, m.getMemory().getUsageLimit());
        assertEquals(1, m.getMemoryEvents().getOomKill());
        assertEquals(v2(), m);
    }

    /**
     * The shim packs Metrics itself: type_url is the message's full proto name, with no
     * "type.googleapis.com/" prefix (containerd 1.6 resolves exact names only).
     */
    @Test
    void statsReplyCarriesABareTypeUrl() throws Exception {
        String url = io.javarun.protos.cgroups.v1.Metrics.getDescriptor().getFullName();
        assertEquals("io.containerd.cgroups.v1.Metrics", url);
        assertEquals("io.containerd.cgroups.v2.Metrics", io.javarun.protos.cgroups.v2.Metrics.getDescriptor().getFullName());
        StatsResponse reply = StatsResponse.newBuilder()
                .setStats(Any.newBuilder().setTypeUrl(url).setValue(v1().toByteString())).build();
        // stats(1), 58 bytes: {type_url(1), 32 bytes; value(2), the 22 bytes of V1}
        byte[] golden = Hex.bytes("0a 3a 0a 20 \"io.containerd.cgroups.v1.Metrics\" 12 16"
                + " 1a 05 0a 03 08 e8 07 22 0d 98 01 80 20 8a 02 06 08 80 40 10 80 10");
        assertEquals(Hex.hex(golden), Hex.hex(reply.toByteArray()));
        Any stats = StatsResponse.parseFrom(golden).getStats();
        assertEquals(url, stats.getTypeUrl());
        assertEquals(v1(), io.javarun.protos.cgroups.v1.Metrics.parseFrom(stats.getValue()));
    }
}
