package io.javarun.it.shim;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that need a containerd: one per class, started before its tests and removed after. */
abstract class ContainerdTests {
    static Containerd ctd;

    @BeforeAll
    static void startContainerd() throws Exception {
        ctd = Containerd.start();
    }

    @AfterAll
    static void stopContainerd() {
        if (ctd != null) {
            ctd.close();
            ctd = null;
        }
    }
}
