/**
 * ttrpc-java: containerd's ttrpc protocol (unary calls) over JDK Unix domain sockets.
 * {@link io.javarun.ttrpc.FrameCodec} frames, {@link io.javarun.ttrpc.TtrpcServer} serves
 * handlers registered per service/method, {@link io.javarun.ttrpc.TtrpcClient} calls.
 */
package io.javarun.ttrpc;
