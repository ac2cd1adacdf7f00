package io.javarun.state;

import io.javarun.json.Json;
import io.javarun.json.JsonException;
import io.javarun.json.JsonShapeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The state directory ({@code --root}, default /run/javarun): one directory per container with
 * state.json, the exec FIFO and a lock file. Writes are atomic (temp file, rename), so a reader
 * sees the old state or the new one, never half of one. Not fsync'ed, as runc does not: the state
 * describes processes, which a crash of the machine ends too (and /run is normally a tmpfs); a
 * crash of javarun itself loses nothing the page cache holds. An fsync cost 1-3 ms of every create
 * on a disk.
 */
public final class StateStore {
    public static final String STATE_FILE = "state.json";
    public static final String EXEC_FIFO = "exec.fifo";
    private static final String LOCK_FILE = ".lock";

    private final Path root;

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        return root.resolve(id);
    }

    public Path execFifo(String id) {
        return dir(id).resolve(EXEC_FIFO);
    }

    public boolean exists(String id) {
        return Files.isDirectory(dir(id));
    }

    /** Creates the container's directory; fails if the id is taken. */
    public void createDir(String id) throws StateException {
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            Files.createDirectory(dir(id), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (FileAlreadyExistsException e) {
            throw new StateException("container with id exists: " + id);
        } catch (IOException e) {
            throw new StateException("create state directory " + dir(id) + ": " + e.getMessage());
        }
    }

    /**
     * Serialises calls on one container: held until closed. Calls on different containers never
     * wait for each other.
     */
    public AutoCloseable lock(String id) throws StateException {
        Path lockFile = dir(id).resolve(LOCK_FILE);
        try {
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.lock();
            return new AutoCloseable() {
                @Override
                public void close() throws IOException {
                    lock.release();
                    ch.close();
                }
            };
        } catch (NoSuchFileException e) {
            throw new StateException("container does not exist: " + id);
        } catch (IOException e) {
            throw new StateException("lock " + lockFile + ": " + e.getMessage());
        }
    }

    public ContainerState read(String id) throws StateException {
        Path file = dir(id).resolve(STATE_FILE);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new StateException("container does not exist: " + id);
        } catch (IOException e) {
            throw new StateException("read " + file + ": " + e.getMessage());
        }
        try {
            return ContainerState.fromJson(Json.parse(text));
        } catch (JsonException | JsonShapeException e) {
            throw new StateException("read " + file + ": corrupt state: " + e.getMessage());
        }
    }

    public void write(ContainerState state) throws StateException {
        writeAtomically(dir(state.id()).resolve(STATE_FILE), Json.write(state.toJson()));
    }

    /** Writes a file so that readers see all of it or none of it (also used for --pid-file). */
    public static void writeAtomically(Path file, String content) throws StateException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new StateException("write " + tmp + ": " + e.getMessage());
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StateException("rename " + tmp + " to " + file + ": " + e.getMessage());
        }
    }

    /** Ids with a state directory, sorted (runc lists in directory order; sorted is stabler). */
    public List<String> ids() throws StateException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && Files.exists(p.resolve(STATE_FILE))) {
                    ids.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new StateException("list " + root + ": " + e.getMessage());
        }
        Collections.sort(ids);
        return ids;
    }

    /**
     * Removes the container's directory. It holds only our own files (and the notify socket's
     * directory); symlinks are removed, never followed, and nothing below is a mount on the host.
     */
    public void remove(String id) throws StateException {
        Path dir = dir(id);
        try {
            removeTree(dir);
        } catch (NoSuchFileException e) {
            // Already gone: removal is idempotent.
        } catch (IOException e) {
            throw new StateException("remove " + dir + ": " + e.getMessage());
        }
    }

    private static void removeTree(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    removeTree(p);
                } else {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.deleteIfExists(dir);
    }
}
