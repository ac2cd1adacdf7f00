/**
 * containerd's task and event protocol: the classes protoc generates from src/main/proto live in
 * io.javarun.protos.* subpackages (task, events, eventservice, types, runc, runtimeoptions, rpc,
 * ttrpc); ttrpc-java itself is in {@code io.javarun.ttrpc}. Each .proto service also has an
 * interface written by src/build/java/TtrpcStubGenerator.java at build time
 * ({@code task.TaskService}, {@code eventservice.EventsService}): implement it and call its static
 * register to serve it, or use its nested Client to call it.
 */
package io.javarun.protos;
