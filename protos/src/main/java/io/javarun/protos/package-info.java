/**
 * containerd task/event protocol types and ttrpc-java. Filled by the shim issue; the module
 * exists now so that the build's shape is the final one.
 */
package io.javarun.protos;
