package io.javarun.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

/**
 * Serves one unary method. Runs on a worker thread and may block (Task.Wait does). Throw
 * {@link TtrpcException} to choose the status code; any other exception becomes UNKNOWN.
 */
@FunctionalInterface
public interface MethodHandler {

    /** Handles the raw request payload and returns the reply message (never null). */
    MessageLite handle(CallContext context, ByteString payload) throws Exception;

    /** A typed handler: its request decoded with {@code parser}. */
    @FunctionalInterface
    interface Unary<T> {
        MessageLite handle(CallContext context, T request) throws Exception;
    }

    /**
     * Adapts a typed handler: an undecodable payload is answered with INTERNAL before the handler
     * runs.
     */
    static <T> MethodHandler of(Parser<T> parser, Unary<T> handler) {
        return (context, payload) -> {
            T request;
            try {
                request = parser.parseFrom(payload);
            } catch (InvalidProtocolBufferException e) {
                throw new TtrpcException(TtrpcException.Code.INTERNAL, "ttrpc: cannot decode "
                        + context.service() + "/" + context.method() + " request: " + e.getMessage(), e);
            }
            return handler.handle(context, request);
        };
    }
}
