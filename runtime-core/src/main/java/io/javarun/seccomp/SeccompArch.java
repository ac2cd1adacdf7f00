package io.javarun.seccomp;

/**
 * The architectures a filter can cover besides the native one: the runtime spec's SCMP_ARCH_*
 * names that the libseccomp javarun-helper is linked with (2.5) knows, with their AUDIT_ARCH_*
 * values (what libseccomp's SCMP_ARCH_* constants are, and what the kernel reports a syscall's
 * architecture as). LoongArch is missing: libseccomp learnt it in 2.6.
 */
public enum SeccompArch implements SpecNamed {
    X86("SCMP_ARCH_X86", 0x4000_0003L),
    X86_64("SCMP_ARCH_X86_64", 0xc000_003eL),
    X32("SCMP_ARCH_X32", 0x4000_003eL),
    ARM("SCMP_ARCH_ARM", 0x4000_0028L),
    AARCH64("SCMP_ARCH_AARCH64", 0xc000_00b7L),
    MIPS("SCMP_ARCH_MIPS", 0x0000_0008L),
    MIPS64("SCMP_ARCH_MIPS64", 0x8000_0008L),
    MIPS64N32("SCMP_ARCH_MIPS64N32", 0xa000_0008L),
    MIPSEL("SCMP_ARCH_MIPSEL", 0x4000_0008L),
    MIPSEL64("SCMP_ARCH_MIPSEL64", 0xc000_0008L),
    MIPSEL64N32("SCMP_ARCH_MIPSEL64N32", 0xe000_0008L),
    PPC("SCMP_ARCH_PPC", 0x0000_0014L),
    PPC64("SCMP_ARCH_PPC64", 0x8000_0015L),
    PPC64LE("SCMP_ARCH_PPC64LE", 0xc000_0015L),
    S390("SCMP_ARCH_S390", 0x0000_0016L),
    S390X("SCMP_ARCH_S390X", 0x8000_0016L),
    PARISC("SCMP_ARCH_PARISC", 0x0000_000fL),
    PARISC64("SCMP_ARCH_PARISC64", 0x8000_000fL),
    RISCV64("SCMP_ARCH_RISCV64", 0xc000_00f3L);

    private final String specName;
    private final long auditArch;

    SeccompArch(String specName, long auditArch) {
        this.specName = specName;
        this.auditArch = auditArch;
    }

    @Override
    public String specName() {
        return specName;
    }

    public long auditArch() {
        return auditArch;
    }

    /** The architecture of that name, or null. */
    public static SeccompArch named(String name) {
        return SpecNamed.find(values(), name);
    }
}
