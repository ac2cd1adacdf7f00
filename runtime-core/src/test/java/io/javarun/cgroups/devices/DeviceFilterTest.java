package io.javarun.cgroups.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javarun.spec.LinuxSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The device filter program against sequences checked by hand (the kernel's semantics of each
 * instruction: r1 points at struct bpf_cgroup_dev_ctx; a jump skips "off" instructions).
 */
class DeviceFilterTest {
    private static final List<String> PROLOGUE = List.of(
            "r2 = *(u32 *)(r1 + 0)", // access_type
            "w2 &= 0xffff", //          its low 16 bits: the device type
            "r3 = *(u32 *)(r1 + 0)",
            "w3 >>= 16", //             its high 16 bits: the access asked for
            "r4 = *(u32 *)(r1 + 4)", // major
            "r5 = *(u32 *)(r1 + 8)"); // minor

    private static LinuxSpec.DeviceRule rule(boolean allow, String type, Long major, Long minor, String access) {
        return new LinuxSpec.DeviceRule(allow, type, major, minor, access);
    }

    private static List<String> listing(LinuxSpec.DeviceRule... rules) throws Exception {
        List<String> out = new ArrayList<>();
        for (BpfInstruction i : DeviceFilter.program(DeviceRuleSet.of(List.of(rules)))) {
            out.add(i.toString());
        }
        return out;
    }

    private static List<String> program(String... body) {
        List<String> out = new ArrayList<>(PROLOGUE);
        out.addAll(List.of(body));
        return out;
    }

    @Test
    void noRulesDeniesEverything() throws Exception {
        assertEquals(program("w0 = 0", "exit"), listing());
    }

    @Test
    void allowAllAcceptsEverything() throws Exception {
        assertEquals(program("w0 = 1", "exit"), listing(rule(true, "a", null, null, "rwm")));
    }

    @Test
    void oneDeviceDeniedInAnAllowAllList() throws Exception {
        assertEquals(program(
                "if r2 != 1 goto +4", // not a block device: next block
                "if r4 != 8 goto +3",
                "if r5 != 0 goto +2",
                "w0 = 0", "exit",
                "w0 = 1", "exit"),
                listing(rule(true, "a", null, null, "rwm"), rule(false, "b", 8L, 0L, "rwm")));
    }

    @Test
    void runcsDefaultListNewestRuleFirstWithAccessChecksAndWildcards() throws Exception {
        List<String> got = listing(rule(false, "a", null, null, "rwm"),
                rule(true, "c", null, null, "m"), rule(true, "b", null, null, "m"),
                rule(true, "c", 1L, 3L, "rwm"), rule(true, "c", 136L, null, "rwm"), rule(true, "c", 10L, 200L, "rwm"));
        assertEquals(program(
                // c 10:200 rwm
                "if r2 != 2 goto +4", "if r4 != 10 goto +3", "if r5 != 200 goto +2", "w0 = 1", "exit",
                // c 136:* rwm: no minor test
                "if r2 != 2 goto +3", "if r4 != 136 goto +2", "w0 = 1", "exit",
                // c 1:3 rwm
                "if r2 != 2 goto +4", "if r4 != 1 goto +3", "if r5 != 3 goto +2", "w0 = 1", "exit",
                // b *:* m: every bit asked for must be in "m" (1)
                "if r2 != 1 goto +5", "w1 = w3", "w1 &= 1", "if r1 != r3 goto +2", "w0 = 1", "exit",
                // c *:* m
                "if r2 != 2 goto +5", "w1 = w3", "w1 &= 1", "if r1 != r3 goto +2", "w0 = 1", "exit",
                "w0 = 0", "exit"), got);
    }

    @Test
    void laterRulesTakeAccessAwayAsV1Does() throws Exception {
        // deny all; allow c 1:11 rw; deny c 1:11 w -> only read (2) is left of that exception.
        // An 8-instruction block: the test at index k skips 7 - k to reach the next block.
        assertEquals(program("if r2 != 2 goto +7", "w1 = w3", "w1 &= 2", "if r1 != r3 goto +4",
                "if r4 != 1 goto +3", "if r5 != 11 goto +2", "w0 = 1", "exit", "w0 = 0", "exit"),
                listing(rule(false, "a", null, null, "rwm"), rule(true, "c", 1L, 11L, "rw"),
                        rule(false, "c", 1L, 11L, "w")));
    }

    @Test
    void rulesForTheSameDeviceMergeAndAnAllRuleStartsOver() throws Exception {
        assertEquals(program("if r2 != 2 goto +4", "if r4 != 1 goto +3", "if r5 != 11 goto +2", "w0 = 1", "exit",
                "w0 = 0", "exit"),
                listing(rule(true, "c", 4L, 1L, "rwm"), rule(false, "a", null, null, "rwm"),
                        rule(true, "c", 1L, 11L, "r"), rule(true, "c", 1L, 11L, "wm")));
        DeviceRuleSet set = DeviceRuleSet.of(List.of(rule(true, "c", 1L, 11L, "r"), rule(false, "c", 1L, 11L, "r")));
        assertEquals(List.of(), set.exceptions());
    }

    @Test
    void encodedAsTheKernelReadsStructBpfInsn() throws Exception {
        byte[] code = DeviceFilter.encode(DeviceFilter.program(DeviceRuleSet.of(List.of(
                rule(false, "a", null, null, "rwm"), rule(true, "c", 10L, 200L, "rw")))));
        assertEquals((6 + 8 + 2) * 8, code.length);
        // r2 = *(u32 *)(r1 + 0): BPF_LDX|BPF_MEM|BPF_W, src 1 in the high nibble, dst 2 in the low
        assertArrayEquals(bytes(0x61, 0x12, 0, 0, 0, 0, 0, 0), slice(code, 0));
        // w2 &= 0xffff
        assertArrayEquals(bytes(0x54, 0x02, 0, 0, 0xff, 0xff, 0, 0), slice(code, 1));
        // r4 = *(u32 *)(r1 + 4)
        assertArrayEquals(bytes(0x61, 0x14, 4, 0, 0, 0, 0, 0), slice(code, 4));
        // if r2 != 2 goto +7
        assertArrayEquals(bytes(0x55, 0x02, 7, 0, 2, 0, 0, 0), slice(code, 6));
        // w1 = w3
        assertArrayEquals(bytes(0xbc, 0x31, 0, 0, 0, 0, 0, 0), slice(code, 7));
        // w1 &= 6 (read and write)
        assertArrayEquals(bytes(0x54, 0x01, 0, 0, 6, 0, 0, 0), slice(code, 8));
        // if r1 != r3 goto +4
        assertArrayEquals(bytes(0x5d, 0x31, 4, 0, 0, 0, 0, 0), slice(code, 9));
        // if r5 != 200 goto +2
        assertArrayEquals(bytes(0x55, 0x05, 2, 0, 200, 0, 0, 0), slice(code, 11));
        // w0 = 1; exit
        assertArrayEquals(bytes(0xb4, 0, 0, 0, 1, 0, 0, 0), slice(code, 12));
        assertArrayEquals(bytes(0x95, 0, 0, 0, 0, 0, 0, 0), slice(code, 13));
    }

    private static byte[] slice(byte[] code, int insn) {
        byte[] out = new byte[8];
        System.arraycopy(code, insn * 8, out, 0, 8);
        return out;
    }

    private static byte[] bytes(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }
}
