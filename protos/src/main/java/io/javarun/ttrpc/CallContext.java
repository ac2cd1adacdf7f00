package io.javarun.ttrpc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a handler knows about its call: service, method, metadata and deadline, and a future
 * that completes when the call is no longer wanted (deadline passed, connection or server closed).
 */
public final class CallContext {
    /** The metadata key through which containerd names the namespace. */
    public static final String NAMESPACE_KEY = "containerd-namespace-ttrpc";

    private final String service;
    private final String method;
    private final int streamId;
    private final Map<String, List<String>> metadata;
    private final long deadline; // System.nanoTime() based; meaningful only if hasDeadline
    private final boolean hasDeadline;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

    CallContext(String service, String method, int streamId, Map<String, List<String>> metadata,
            long timeoutNanos) {
        this.service = service;
        this.method = method;
        this.streamId = streamId;
        this.metadata = metadata;
        this.hasDeadline = timeoutNanos > 0;
        this.deadline = hasDeadline ? System.nanoTime() + timeoutNanos : 0;
    }

    public String service() { return service; }
    public String method() { return method; }
    public int streamId() { return streamId; }

    /** All metadata, in arrival order per key. */
    public Map<String, List<String>> metadata() { return metadata; }

    /** The first value of a metadata key, or null. */
    public String metadata(String key) {
        List<String> values = metadata.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** containerd's namespace for this call, or "" when none was sent. */
    public String namespace() {
        String ns = metadata(NAMESPACE_KEY);
        return ns == null ? "" : ns;
    }

    public boolean hasDeadline() { return hasDeadline; }

    /** Nanoseconds until the deadline (possibly negative), Long.MAX_VALUE without one. */
    public long remainingNanos() {
        return hasDeadline ? deadline - System.nanoTime() : Long.MAX_VALUE;
    }

    /** Completes when the call's answer is no longer wanted; a blocking handler may give up then. */
    public CompletableFuture<Void> cancelled() { return cancelled.copy(); }

    public boolean isCancelled() { return cancelled.isDone(); }

    void cancel() { cancelled.complete(null); }
}
