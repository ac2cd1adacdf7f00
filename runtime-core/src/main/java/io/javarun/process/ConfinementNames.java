package io.javarun.process;

/**
 * The runtime spec's names for I/O priority classes, scheduler policies and flags, and
 * personality domains, and the kernel's numbers for them (linux/ioprio.h, linux/sched.h,
 * linux/personality.h). Each lookup answers -1 for a name the spec does not define.
 */
public final class ConfinementNames {
    private ConfinementNames() {}

    /** IOPRIO_CLASS_RT 1, BE 2, IDLE 3. */
    public static int ioprioClass(String name) {
        switch (name) {
            case "IOPRIO_CLASS_RT":
                return 1;
            case "IOPRIO_CLASS_BE":
                return 2;
            case "IOPRIO_CLASS_IDLE":
                return 3;
            default:
                return -1;
        }
    }

    /** SCHED_OTHER 0, FIFO 1, RR 2, BATCH 3, ISO 4 (no kernel has it: sched_setattr refuses it), IDLE 5, DEADLINE 6. */
    public static int schedPolicy(String name) {
        switch (name) {
            case "SCHED_OTHER":
                return 0;
            case "SCHED_FIFO":
                return 1;
            case "SCHED_RR":
                return 2;
            case "SCHED_BATCH":
                return 3;
            case "SCHED_ISO":
                return 4;
            case "SCHED_IDLE":
                return 5;
            case "SCHED_DEADLINE":
                return 6;
            default:
                return -1;
        }
    }

    /** A SCHED_FLAG_* bit. */
    public static long schedFlag(String name) {
        switch (name) {
            case "SCHED_FLAG_RESET_ON_FORK":
                return 0x01;
            case "SCHED_FLAG_RECLAIM":
                return 0x02;
            case "SCHED_FLAG_DL_OVERRUN":
                return 0x04;
            case "SCHED_FLAG_KEEP_POLICY":
                return 0x08;
            case "SCHED_FLAG_KEEP_PARAMS":
                return 0x10;
            case "SCHED_FLAG_UTIL_CLAMP_MIN":
                return 0x20;
            case "SCHED_FLAG_UTIL_CLAMP_MAX":
                return 0x40;
            default:
                return -1;
        }
    }

    /** PER_LINUX 0, PER_LINUX32 8. */
    public static int personaDomain(String name) {
        switch (name) {
            case "LINUX":
                return 0;
            case "LINUX32":
                return 8;
            default:
                return -1;
        }
    }
}
