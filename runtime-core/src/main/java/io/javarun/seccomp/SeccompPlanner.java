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
 * <li>libseccomp's binary tree above 32 rules, as runc.</li>
 * </ul>
 */
public final class SeccompPlanner {
    /** The op's name in the plan. */
    public static final String OP = "SECCOMP";
    /** runc's threshold for libseccomp's binary-tree filter (SCMP_FLTATR_CTL_OPTIMIZE 2). */
    private static final int TREE_ABOVE = 32;

    private SeccompPlanner() {}

    /** Adds the SECCOMP op for {@code p} to {@code plan}; nothing when there is no filter to load. */
    public static void plan(Plan plan, SeccompProfile p) {
        if (p == null || !p.enabled()) {
            return;
        }
        long def = SeccompAction.named(p.defaultAction()).value(p.defaultErrnoRet());
        List<String> rules = new ArrayList<>();
        int count = 0;
        for (SeccompProfile.Syscall s : p.syscalls()) {
            long action = SeccompAction.named(s.action()).value(s.errnoRet());
            if (action == def) {
                continue;
            }
            for (String name : s.names()) {
                count += addRules(rules, name, action, s.args());
            }
        }
        List<String> fields = new ArrayList<>(4 + rules.size());
        fields.add(Long.toHexString(def));
        fields.add(Integer.toHexString(flags(p)));
        fields.add(archs(p.architectures()));
        fields.add(count > TREE_ABOVE ? "2" : "0");
        fields.addAll(rules);
        plan.add("load the seccomp filter (" + count + (count == 1 ? " rule)" : " rules)"), OP, fields);
    }

    /** Rules for one syscall name: name, action, condition count, then index op value valueTwo each. */
    private static int addRules(List<String> out, String name, long action, List<SeccompProfile.Arg> args) {
        if (!indexRepeats(args)) {
            out.add(name);
            out.add(Long.toHexString(action));
            out.add(Integer.toString(args.size()));
            for (SeccompProfile.Arg a : args) {
                addCondition(out, a);
            }
            return 1;
        }
        for (SeccompProfile.Arg a : args) {
            out.add(name);
            out.add(Long.toHexString(action));
            out.add("1");
            addCondition(out, a);
        }
        return args.size();
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
