package io.javarun.seccomp;

import io.javarun.process.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a validated profile into the helper's SECCOMP op (native/PROTOCOL.md): the numbers of
 * the filter, and one rule per syscall name. Every decision runc takes while building its filter
 * is taken here, so the helper only calls libseccomp:
 * <ul>
 * <li>a rule whose action (errno included) is the default action is left out, as libseccomp
 *     refuses it and runc skips it;</li>
 * <li>a rule that compares one argument twice becomes one rule per comparison (any of them
 *     matches), else one rule with all of them (all must match): runc's reading of the spec;</li>
 * <li>no flags at all means SPEC_ALLOW (runc 1.2; an empty list means none), and a rule with
 *     SCMP_ACT_NOTIFY asks for a listener fd;</li>
 * <li>libseccomp's binary tree above 32 rules, as runc 1.2;</li>
 * <li>runc's ENOSYS stub when the default action refuses: a syscall numbered above every one
 *     the profile names (on an architecture it lists) returns ENOSYS, so that libc falls back
 *     to an older call as on an older kernel, where the default's EPERM would make it fail
 *     (glibc's faccessat2 and clone3 fall back on ENOSYS only). The names of left-out rules
 *     still count for it, as {@code -} entries.</li>
 * </ul>
 */
public final class SeccompPlanner {
    /** The op's name in the plan. */
    public static final String OP = "SECCOMP";
    /** runc's threshold for libseccomp's binary-tree filter (SCMP_FLTATR_CTL_OPTIMIZE 2). */
    private static final int TREE_ABOVE = 32;
    private static final long ENOSYS = 38;

    private SeccompPlanner() {}

    /** Adds the SECCOMP op for {@code p} to {@code plan}; nothing when there is no filter to load. */
    public static void plan(Plan plan, SeccompProfile p) {
        if (p == null || !p.enabled()) {
            return;
        }
        SeccompAction defAction = SeccompAction.named(p.defaultAction());
        long def = defAction.value(p.defaultErrnoRet());
        boolean enosys = enosysStub(defAction, def, p);
        List<String> rules = new ArrayList<>();
        int count = 0;
        for (SeccompProfile.Syscall s : p.syscalls()) {
            long action = SeccompAction.named(s.action()).value(s.errnoRet());
            if (action == def) {
                if (enosys) {
                    for (String name : s.names()) {
                        rules.add(name);
                        rules.add("-");
                        rules.add("0");
                    }
                }
                continue;
            }
            // Docker's profile has some 300 names under one action: its fields are made once.
            String actionHex = Long.toHexString(action);
            List<List<String>> groups = conditions(s.args());
            for (String name : s.names()) {
                for (List<String> g : groups) {
                    rules.add(name);
                    rules.add(actionHex);
                    rules.addAll(g);
                }
                count += groups.size();
            }
        }
        List<String> fields = new ArrayList<>(5 + rules.size());
        fields.add(Long.toHexString(def));
        fields.add(Integer.toHexString(flags(p)));
        fields.add(archs(p.architectures()));
        fields.add(count > TREE_ABOVE ? "2" : "0");
        fields.add(enosys ? "1" : "0");
        fields.addAll(rules);
        plan.add("load the seccomp filter (" + count + (count == 1 ? " rule)" : " rules)"), OP, fields);
    }

    /**
     * The conditions of a syscalls[] entry as groups of fields, a rule each: one group (all must
     * match), or one per comparison when an argument is compared twice (any matches). A group is
     * the count, then index op value valueTwo per condition.
     */
    private static List<List<String>> conditions(List<SeccompProfile.Arg> args) {
        List<List<String>> groups = new ArrayList<>();
        if (!indexRepeats(args)) {
            List<String> all = new ArrayList<>(1 + 4 * args.size());
            all.add(Integer.toString(args.size()));
            for (SeccompProfile.Arg a : args) {
                addCondition(all, a);
            }
            groups.add(all);
            return groups;
        }
        for (SeccompProfile.Arg a : args) {
            List<String> one = new ArrayList<>(5);
            one.add("1");
            addCondition(one, a);
            groups.add(one);
        }
        return groups;
    }

    private static void addCondition(List<String> out, SeccompProfile.Arg a) {
        out.add(Long.toString(a.index()));
        out.add(Integer.toString(SeccompOperator.named(a.op()).code()));
        out.add(Long.toHexString(a.value()));
        out.add(Long.toHexString(a.valueTwo()));
    }

    private static boolean indexRepeats(List<SeccompProfile.Arg> args) {
        long seen = 0;
        for (SeccompProfile.Arg a : args) {
            long bit = 1L << a.index();
            if ((seen & bit) != 0) {
                return true;
            }
            seen |= bit;
        }
        return false;
    }

    /**
     * runc's rule for the stub: only when the default action refuses (ALLOW, LOG and TRACE let a
     * new syscall through, and a tracer handles ENOSYS itself), is not ENOSYS already, and for
     * the architectures the profile lists.
     */
    private static boolean enosysStub(SeccompAction defAction, long def, SeccompProfile p) {
        boolean permissive = defAction == SeccompAction.ALLOW || defAction == SeccompAction.LOG
                || defAction == SeccompAction.TRACE;
        return !permissive && def != SeccompAction.ERRNO.value(ENOSYS) && !p.architectures().isEmpty();
    }

    private static int flags(SeccompProfile p) {
        int bits = 0;
        if (p.flags() == null) {
            bits = SeccompFlag.SPEC_ALLOW.bit();
        } else {
            for (String f : p.flags()) {
                bits |= SeccompFlag.named(f).bit();
            }
        }
        return p.usesNotify() ? bits | SeccompFlag.NEW_LISTENER : bits;
    }

    private static String archs(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(sb.length() == 0 ? "" : ",").append(Long.toHexString(SeccompArch.named(n).auditArch()));
        }
        return sb.toString();
    }
}
