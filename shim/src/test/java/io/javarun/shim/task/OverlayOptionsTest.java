package io.javarun.shim.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OverlayOptionsTest {
    private static final String SNAP = "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots";

    @Test
    void theLayersCommonParentIsFound() {
        String data = "index=off,lowerdir=" + SNAP + "/3/fs:" + SNAP + "/2/fs:" + SNAP + "/1/fs,upperdir=" + SNAP
                + "/4/fs,workdir=" + SNAP + "/4/work";
        assertEquals(SNAP, OverlayOptions.commonParent(data));
        assertNull(OverlayOptions.commonParent("lowerdir=/a/x:/b/y"));
        assertNull(OverlayOptions.commonParent("index=off"));
    }

    @Test
    void everyPathIsRewrittenAndOtherOptionsKept() {
        String data = "index=off,lowerdir=" + SNAP + "/3/fs:" + SNAP + "/2/fs,upperdir=" + SNAP + "/4/fs,workdir="
                + SNAP + "/4/work,userxattr";
        assertEquals("index=off,lowerdir=/proc/self/fd/9/3/fs:/proc/self/fd/9/2/fs,upperdir=/proc/self/fd/9/4/fs,"
                + "workdir=/proc/self/fd/9/4/work,userxattr", OverlayOptions.rewrite(data, SNAP, "/proc/self/fd/9"));
    }

    /** 120 layers: far more than one page as given, well under it rewritten. */
    @Test
    void manyLayersFitInOnePageAfterRewriting() {
        StringBuilder lower = new StringBuilder("lowerdir=");
        for (int i = 120; i > 0; i--) {
            lower.append(SNAP).append('/').append(i).append("/fs").append(i > 1 ? ":" : "");
        }
        String data = lower + ",upperdir=" + SNAP + "/121/fs,workdir=" + SNAP + "/121/work";
        assertTrue(data.length() > OverlayOptions.MAX_DATA);
        String parent = OverlayOptions.commonParent(data);
        assertTrue(OverlayOptions.rewrite(data, parent, "/proc/self/fd/12").length() < OverlayOptions.MAX_DATA);
    }
}
