package io.javarun.shim;

import io.javarun.shim.launch.ShimCommands;

/** containerd-shim-javarun-v2's entry point: see {@link ShimCommands}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(ShimCommands.run(args));
    }
}
