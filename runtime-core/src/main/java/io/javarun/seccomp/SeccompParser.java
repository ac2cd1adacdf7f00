package io.javarun.seccomp;

import io.javarun.json.JsonCursor;
import io.javarun.json.JsonShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code linux.seccomp} into a {@link SeccompProfile}: JSON types and number ranges, with
 * the field path in each error. Whether the names mean anything is {@link SeccompValidator}'s.
 */
public final class SeccompParser {
    /** errnoRet is the 16 data bits of the filter's return value. */
    private static final long U16_MAX = 0xFFFF;

    private SeccompParser() {}

    /** The profile, or null when config.json has no {@code linux.seccomp}. */
    public static SeccompProfile parse(JsonCursor s) throws JsonShapeException {
        if (s.isNull()) {
            return null;
        }
        s.members(); // an object is required: a wrong type fails here with the path
        List<SeccompProfile.Syscall> syscalls = new ArrayList<>();
        for (JsonCursor c : s.get("syscalls").elements()) {
            List<SeccompProfile.Arg> args = new ArrayList<>();
            for (JsonCursor a : c.get("args").elements()) {
                args.add(new SeccompProfile.Arg(orZero(a.get("index").asLong(0, Long.MAX_VALUE)),
                        orZero(a.get("value").asUnsigned64()), orZero(a.get("valueTwo").asUnsigned64()),
                        a.get("op").asString()));
            }
            syscalls.add(new SeccompProfile.Syscall(c.get("names").asStringList(), c.get("action").asString(),
                    c.get("errnoRet").asLong(0, U16_MAX), args));
        }
        JsonCursor flags = s.get("flags");
        return new SeccompProfile(
                s.get("defaultAction").asString(""),
                s.get("defaultErrnoRet").asLong(0, U16_MAX),
                s.get("architectures").asStringList(),
                flags.isNull() ? null : flags.asStringList(),
                s.get("listenerPath").asString(""),
                s.get("listenerMetadata").asString(""),
                syscalls);
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
