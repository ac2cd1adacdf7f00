package io.javarun.shim.launch;

import io.javarun.container.Containers;
import io.javarun.container.OperationException;
import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.protos.task.DeleteResponse;
import io.javarun.shim.ProtoTimestamps;
import io.javarun.shim.task.BundleFiles;
import io.javarun.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@code delete}: containerd's clean-up after a shim died. Force-deletes the container, unmounts
 * its rootfs, and prints a binary DeleteResponse, with the exit status the daemon recorded when
 * it saw the exit (137, as runc's shim always says, only when it never did).
 */
final class DeleteCommand {
    private static final int SIGKILL_STATUS = 128 + 9;

    private DeleteCommand() {}

    private static void removeIfDead(Path socket) {
        try {
            if (Files.exists(socket) && !ShimSocket.isLive(socket)) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            // Gone meanwhile.
        }
    }

    /** A daemon killed outright leaves its socket files: removed once nothing answers there. */
    private static void removeDeadSocket(Path bundle) {
        try {
            String address = Files.readString(bundle.resolve("address")).trim();
            if (address.startsWith("unix://")) {
                removeIfDead(Path.of(address.substring("unix://".length())));
            }
        } catch (IOException e) {
            // No address recorded (start never finished), or already gone.
        }
    }

    static DeleteResponse run(ShimFlags f, Path defaultStateBase, Consumer<String> log) {
        Path bundle = f.bundle().isEmpty() ? Path.of("").toAbsolutePath() : Path.of(f.bundle());
        Path root = BundleFiles.root(bundle, defaultStateBase.resolve(f.namespace()));
        LinuxNative.load();
        Containers runtime = new Containers(new StateStore(root), log);
        if (runtime.exists(f.id())) {
            try {
                runtime.delete(f.id(), true);
            } catch (OperationException e) {
                log.accept(e.getMessage());
            }
        }
        try {
            LinuxNative.umount(bundle.resolve("rootfs").toString(), LinuxNative.MNT_DETACH);
        } catch (ErrnoException e) {
            // EINVAL: not mounted (the daemon unmounted it, or it never was): fine.
        }
        removeDeadSocket(bundle);
        if (!f.address().isEmpty()) {
            removeIfDead(ShimSocket.controlPath(f.address(), f.namespace()));
        }
        BundleFiles.InitExit exit = BundleFiles.initExit(bundle);
        return DeleteResponse.newBuilder()
                .setExitStatus(exit == null ? SIGKILL_STATUS : exit.status())
                .setExitedAt(ProtoTimestamps.of(exit == null ? Instant.now() : exit.at()))
                .build();
    }
}
