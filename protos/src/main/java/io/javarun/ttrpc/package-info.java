/**
 * ttrpc-java: containerd's ttrpc protocol (unary calls) over JDK Unix domain sockets.
 * {@link io.javarun.ttrpc.FrameCodec} frames, {@link io.javarun.ttrpc.TtrpcServer} serves
 * handlers registered per service/method, {@link io.javarun.ttrpc.TtrpcClient} calls. The
 * generated service interfaces (io.javarun.protos.task.TaskService, ...) do the registering and
 * calling by name, typed.
 */
package io.javarun.ttrpc;
