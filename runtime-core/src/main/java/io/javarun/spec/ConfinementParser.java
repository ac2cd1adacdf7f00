package io.javarun.spec;

import io.javarun.json.JsonCursor;
import io.javarun.json.JsonShapeException;

/**
 * Reads process.ioPriority, process.scheduler and linux.personality (types and the ranges the
 * spec's types give them); names and the rules between fields are the validator's. Loaded only
 * when a config has one of them.
 */
final class ConfinementParser {
    private ConfinementParser() {}

    static ProcessSpec.IoPriority ioPriority(JsonCursor c) throws JsonShapeException {
        return new ProcessSpec.IoPriority(c.get("class").asString(),
                orZero(c.get("priority").asLong(Integer.MIN_VALUE, Integer.MAX_VALUE)));
    }

    static ProcessSpec.Scheduler scheduler(JsonCursor c) throws JsonShapeException {
        return new ProcessSpec.Scheduler(c.get("policy").asString(""),
                orZero(c.get("nice").asLong(Integer.MIN_VALUE, Integer.MAX_VALUE)),
                orZero(c.get("priority").asLong(Integer.MIN_VALUE, Integer.MAX_VALUE)),
                c.get("flags").asStringList(),
                orZero(c.get("runtime").asUnsigned64()),
                orZero(c.get("deadline").asUnsigned64()),
                orZero(c.get("period").asUnsigned64()));
    }

    static LinuxSpec.Personality personality(JsonCursor c) throws JsonShapeException {
        return new LinuxSpec.Personality(c.get("domain").asString(""), c.get("flags").asStringList());
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
