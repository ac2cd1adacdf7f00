package io.javarun.spec;

/** {@code root}: the rootfs path (relative to the bundle unless absolute) and whether it is read-only. */
public record Root(String path, boolean readonly) {
}
