package io.javarun.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An ordered list of helper ops (native/PROTOCOL.md). Each op carries the step it belongs to in
 * words a user understands ("mount proc at /proc"), so that an ERR from the helper, which only
 * knows the op index, becomes an error message that says what failed.
 */
public final class Plan {
    /** One op: the step in words, the op name and its fields. */
    public record Op(String step, String name, List<String> fields) {
        public List<String> record() {
            List<String> r = new ArrayList<>(fields.size() + 1);
            r.add(name);
            r.addAll(fields);
            return r;
        }
    }

    private final List<Op> ops = new ArrayList<>();

    public Plan add(String step, String name, String... fields) {
        ops.add(new Op(step, name, Arrays.asList(fields)));
        return this;
    }

    public Plan add(String step, String name, List<String> fields) {
        ops.add(new Op(step, name, List.copyOf(fields)));
        return this;
    }

    /** Puts a new op before the one at {@code index}. */
    public Plan insert(int index, String step, String name, String... fields) {
        ops.add(index, new Op(step, name, Arrays.asList(fields)));
        return this;
    }

    /** Replaces the op at {@code index} by another that does the same step. */
    public Plan replace(int index, String name, List<String> fields) {
        ops.set(index, new Op(ops.get(index).step(), name, List.copyOf(fields)));
        return this;
    }

    public List<Op> ops() {
        return Collections.unmodifiableList(ops);
    }

    public Op op(int index) {
        return index >= 0 && index < ops.size() ? ops.get(index) : null;
    }

    /** Index of the first op with that name, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The messages that hand this plan to the helper: the PLAN header, then one per op. */
    public List<byte[]> encode() {
        List<byte[]> out = new ArrayList<>(ops.size() + 1);
        out.add(Record.encode(List.of("PLAN", Integer.toString(ops.size()))));
        for (Op op : ops) {
            out.add(Record.encode(op.record()));
        }
        return out;
    }
}
