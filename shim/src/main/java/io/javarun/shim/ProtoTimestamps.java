package io.javarun.shim;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Instants as protobuf Timestamps (events, exit times), the one conversion the shim needs. */
public final class ProtoTimestamps {
    private ProtoTimestamps() {}

    /** The Timestamp of {@code t}; the zero Timestamp for null (not known). */
    public static Timestamp of(Instant t) {
        return t == null ? Timestamp.getDefaultInstance()
                : Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
