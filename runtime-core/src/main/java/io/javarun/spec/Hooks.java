package io.javarun.spec;

import java.util.List;

/** {@code hooks}: the lifecycle hooks, each list run in order. */
public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
        List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop) {

    public static final Hooks NONE = new Hooks(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /** One hook: absolute path, argv (args[0] included), environment, timeout in seconds (null: none). */
    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
    }
}
