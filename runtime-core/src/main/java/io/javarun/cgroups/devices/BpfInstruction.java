package io.javarun.cgroups.devices;

/**
 * One eBPF instruction (struct bpf_insn: 8 bytes, little-endian): opcode, dst and src registers
 * in one byte (dst low nibble), a signed 16-bit jump offset, a signed 32-bit immediate.
 * Only the few forms a device filter needs have factories; {@link #toString} reads like the
 * kernel verifier's log, which is what the hand-checked sequences in the tests are written in.
 */
public record BpfInstruction(int opcode, int dst, int src, int off, int imm) {
    // Opcode parts from include/uapi/linux/bpf.h and bpf_common.h.
    static final int LDX_MEM_W = 0x61; // BPF_LDX | BPF_MEM | BPF_W
    static final int ALU32_AND_K = 0x54; // BPF_ALU | BPF_AND | BPF_K
    static final int ALU32_RSH_K = 0x74; // BPF_ALU | BPF_RSH | BPF_K
    static final int ALU32_MOV_K = 0xb4; // BPF_ALU | BPF_MOV | BPF_K
    static final int ALU32_MOV_X = 0xbc; // BPF_ALU | BPF_MOV | BPF_X
    static final int JNE_K = 0x55; // BPF_JMP | BPF_JNE | BPF_K
    static final int JNE_X = 0x5d; // BPF_JMP | BPF_JNE | BPF_X
    static final int EXIT = 0x95; // BPF_JMP | BPF_EXIT

    static BpfInstruction loadWord(int dst, int src, int off) {
        return new BpfInstruction(LDX_MEM_W, dst, src, off, 0);
    }

    static BpfInstruction and32(int dst, int imm) {
        return new BpfInstruction(ALU32_AND_K, dst, 0, 0, imm);
    }

    static BpfInstruction rsh32(int dst, int imm) {
        return new BpfInstruction(ALU32_RSH_K, dst, 0, 0, imm);
    }

    static BpfInstruction mov32(int dst, int imm) {
        return new BpfInstruction(ALU32_MOV_K, dst, 0, 0, imm);
    }

    static BpfInstruction mov32Reg(int dst, int src) {
        return new BpfInstruction(ALU32_MOV_X, dst, src, 0, 0);
    }

    /** if dst != imm: skip {@code off} instructions. */
    static BpfInstruction jneImm(int dst, int imm, int off) {
        return new BpfInstruction(JNE_K, dst, 0, off, imm);
    }

    /** if dst != src: skip {@code off} instructions. */
    static BpfInstruction jneReg(int dst, int src, int off) {
        return new BpfInstruction(JNE_X, dst, src, off, 0);
    }

    static BpfInstruction exit() {
        return new BpfInstruction(EXIT, 0, 0, 0, 0);
    }

    /** The same instruction with another jump offset (jumps are resolved once the block is known). */
    BpfInstruction withOffset(int newOff) {
        return new BpfInstruction(opcode, dst, src, newOff, imm);
    }

    /** The kernel's encoding of this instruction into {@code out} at {@code at}. */
    void encode(byte[] out, int at) {
        out[at] = (byte) opcode;
        out[at + 1] = (byte) ((src << 4) | (dst & 0xf));
        out[at + 2] = (byte) off;
        out[at + 3] = (byte) (off >> 8);
        out[at + 4] = (byte) imm;
        out[at + 5] = (byte) (imm >> 8);
        out[at + 6] = (byte) (imm >> 16);
        out[at + 7] = (byte) (imm >> 24);
    }

    @Override
    public String toString() {
        switch (opcode) {
            case LDX_MEM_W:
                return "r" + dst + " = *(u32 *)(r" + src + " + " + off + ")";
            case ALU32_AND_K:
                return "w" + dst + " &= " + hexOrDec(imm);
            case ALU32_RSH_K:
                return "w" + dst + " >>= " + imm;
            case ALU32_MOV_K:
                return "w" + dst + " = " + imm;
            case ALU32_MOV_X:
                return "w" + dst + " = w" + src;
            case JNE_K:
                return "if r" + dst + " != " + imm + " goto +" + off;
            case JNE_X:
                return "if r" + dst + " != r" + src + " goto +" + off;
            case EXIT:
                return "exit";
            default:
                return "op 0x" + Integer.toHexString(opcode);
        }
    }

    private static String hexOrDec(int v) {
        return v > 9 ? "0x" + Integer.toHexString(v) : Integer.toString(v);
    }
}
