package io.javarun.shim.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ShimOptionsTest {
    @Test
    void runcOptionsFromCtr() throws IOException {
        Any any = Any.newBuilder().setTypeUrl("containerd.runc.v1.Options").setValue(io.javarun.protos.runc.Options
                .newBuilder().setRoot("/run/x").setNoPivotRoot(true).build().toByteString()).build();
        assertEquals(new ShimOptions(true, false, "/run/x", false), ShimOptions.from(any));
    }

    @Test
    void kubernetesConfigBody() throws IOException {
        Any any = Any.newBuilder().setTypeUrl("runtimeoptions.v1.Options").setValue(io.javarun.protos.runtimeoptions.Options
                .newBuilder().setConfigBody("# javarun\nroot = \"/run/j\"\nno_new_keyring = true\n").build()
                .toByteString()).build();
        assertEquals(new ShimOptions(false, true, "/run/j", false), ShimOptions.from(any));
    }

    @Test
    void noOptionsAreTheDefaults() throws IOException {
        assertEquals(ShimOptions.DEFAULTS, ShimOptions.from(null));
        assertEquals(ShimOptions.DEFAULTS, ShimOptions.from(Any.getDefaultInstance()));
    }

    @Test
    void badConfigSaysWhereAndWhat() {
        IOException e = assertThrows(IOException.class, () -> ShimOptions.parseConfig("root = \"/x\"\nfoo = 1\n", "cfg"));
        assertEquals("cfg:2: unknown setting \"foo\" (known: root, no_pivot_root, no_new_keyring, systemd_cgroup)",
                e.getMessage());
        e = assertThrows(IOException.class, () -> ShimOptions.parseConfig("no_pivot_root = yes", "cfg"));
        assertTrue(e.getMessage().contains("expected true or false"), e.getMessage());
        e = assertThrows(IOException.class, () -> ShimOptions.from(Any.newBuilder().setTypeUrl("other.Options").build()));
        assertTrue(e.getMessage().contains("not understood"), e.getMessage());
    }
}
