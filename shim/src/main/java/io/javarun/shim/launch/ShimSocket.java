package io.javarun.shim.launch;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * Where a shim group listens: containerd's rule, so that every shim of a pod (same group) is
 * found at the same address: /run/containerd/s/hex(sha256(address/namespace/group)).
 */
final class ShimSocket {
    static final String GROUP_ANNOTATION = "io.containerd.runc.v2.group";
    static final String SANDBOX_ANNOTATION = "io.kubernetes.cri.sandbox-id";
    private static final Path SOCKET_DIR = Path.of("/run/containerd/s");
    private static final Path CONTROL_DIR = Path.of("/run/containerd/javarun");

    private ShimSocket() {}

    /** The group: the runc group annotation, else the CRI sandbox id, else the container's own id. */
    static String group(String id, Map<?, ?> annotations) {
        if (annotations != null) {
            if (annotations.get(GROUP_ANNOTATION) instanceof String g && !g.isEmpty()) {
                return g;
            }
            if (annotations.get(SANDBOX_ANNOTATION) instanceof String s && !s.isEmpty()) {
                return s;
            }
        }
        return id;
    }

    static Path path(String containerdAddress, String namespace, String group) {
        return SOCKET_DIR.resolve(sha256(Path.of(containerdAddress, namespace, group).normalize().toString()));
    }

    /**
     * The control socket of the daemon serving a namespace of a containerd: a new group's start
     * asks it to serve the group's socket too, instead of starting another JVM.
     */
    static Path controlPath(String containerdAddress, String namespace) {
        return CONTROL_DIR.resolve("d-" + sha256(Path.of(containerdAddress, namespace).normalize().toString()));
    }

    /** Whether {@code socket} is a place a group socket may be (the daemon binds nothing else). */
    static boolean isGroupSocket(Path socket) {
        return socket.isAbsolute() && SOCKET_DIR.equals(socket.getParent()) && socket.normalize().equals(socket);
    }

    private static String sha256(String joined) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : d) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Whether a live shim answers there (a stale file of a dead one does not). */
    static boolean isLive(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
