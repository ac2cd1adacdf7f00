/**
 * containerd-shim-javarun-v2: the task service over ttrpc, calling runtime-core in-process.
 * Filled by the shim issue; the module exists now so that the build's shape is the final one.
 */
package io.javarun.shim;
