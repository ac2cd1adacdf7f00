/**
 * containerd's task and event protocol: the classes protoc generates from src/main/proto live in
 * io.javarun.protos.* subpackages (task, events, eventservice, types, runc, runtimeoptions, rpc,
 * ttrpc); ttrpc-java itself is in {@code io.javarun.ttrpc}.
 */
package io.javarun.protos;
