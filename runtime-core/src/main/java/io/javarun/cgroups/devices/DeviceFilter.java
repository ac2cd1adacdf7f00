package io.javarun.cgroups.devices;

import io.javarun.cgroups.CgroupException;
import java.util.ArrayList;
import java.util.List;

/**
 * The eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE) that enforces a {@link DeviceRuleSet} on cgroup
 * v2, where device rules are no longer files. The kernel runs it on every open and mknod of a
 * device node with a struct bpf_cgroup_dev_ctx in r1 (u32 access_type: device type in the low
 * 16 bits, access in the high 16; u32 major; u32 minor) and allows the access when it returns 1.
 *
 * <p>The program loads the four values into r2-r5, then tests one block per exception, newest
 * first (the reverse of the rule order, as runc's devicefilter emits them; all exceptions share
 * one verdict, so any order gives the same answer): type, then access (every requested bit must be
 * one the exception names), then major and minor unless they are wildcards. A block that matches
 * returns the exceptions' verdict; falling off the last one returns the default.
 */
public final class DeviceFilter {
    /** BPF_DEVCG_DEV_BLOCK and BPF_DEVCG_DEV_CHAR. */
    private static final int DEV_BLOCK = 1;
    private static final int DEV_CHAR = 2;
    private static final int R0 = 0;
    private static final int R1 = 1;
    private static final int R2 = 2;
    private static final int R3 = 3;
    private static final int R4 = 4;
    private static final int R5 = 5;

    /** The license the program is loaded with (the kernel wants one; GPL-only helpers are not used). */
    public static final String LICENSE = "Apache";

    private DeviceFilter() {}

    public static List<BpfInstruction> program(DeviceRuleSet rules) throws CgroupException {
        List<BpfInstruction> p = new ArrayList<>();
        p.add(BpfInstruction.loadWord(R2, R1, 0));
        p.add(BpfInstruction.and32(R2, 0xffff));
        p.add(BpfInstruction.loadWord(R3, R1, 0));
        p.add(BpfInstruction.rsh32(R3, 16));
        p.add(BpfInstruction.loadWord(R4, R1, 4));
        p.add(BpfInstruction.loadWord(R5, R1, 8));
        int verdict = rules.defaultAllow() ? 0 : 1;
        List<DeviceRuleSet.Entry> entries = rules.exceptions();
        for (int i = entries.size() - 1; i >= 0; i--) {
            block(p, entries.get(i), verdict);
        }
        p.add(BpfInstruction.mov32(R0, verdict == 1 ? 0 : 1));
        p.add(BpfInstruction.exit());
        return p;
    }

    /** The program as the kernel takes it (BPF_PROG_LOAD's insns). */
    public static byte[] encode(List<BpfInstruction> program) {
        byte[] out = new byte[program.size() * 8];
        for (int i = 0; i < program.size(); i++) {
            program.get(i).encode(out, i * 8);
        }
        return out;
    }

    private static void block(List<BpfInstruction> p, DeviceRuleSet.Entry e, int verdict) throws CgroupException {
        List<BpfInstruction> b = new ArrayList<>();
        b.add(BpfInstruction.jneImm(R2, e.type() == 'b' ? DEV_BLOCK : DEV_CHAR, 0));
        if (e.access() != DeviceRuleSet.ACCESS_ALL) {
            // (requested & allowed) != requested: something asked for is not in the exception.
            b.add(BpfInstruction.mov32Reg(R1, R3));
            b.add(BpfInstruction.and32(R1, e.access()));
            b.add(BpfInstruction.jneReg(R1, R3, 0));
        }
        if (e.major() >= 0) {
            b.add(BpfInstruction.jneImm(R4, number("major", e.major()), 0));
        }
        if (e.minor() >= 0) {
            b.add(BpfInstruction.jneImm(R5, number("minor", e.minor()), 0));
        }
        b.add(BpfInstruction.mov32(R0, verdict));
        b.add(BpfInstruction.exit());
        // Every test jumps to the first instruction after this block.
        for (int i = 0; i < b.size(); i++) {
            BpfInstruction insn = b.get(i);
            if (insn.opcode() == BpfInstruction.JNE_K || insn.opcode() == BpfInstruction.JNE_X) {
                b.set(i, insn.withOffset(b.size() - i - 1));
            }
        }
        p.addAll(b);
    }

    /**
     * The comparison is a 64-bit one against a sign-extended 32-bit immediate, so numbers must fit
     * in 31 bits (Linux's are 12-bit majors and 20-bit minors).
     */
    private static int number(String what, long v) throws CgroupException {
        if (v > Integer.MAX_VALUE) {
            throw new CgroupException("linux.resources.devices: device " + what + " " + v + " is out of range");
        }
        return (int) v;
    }
}
