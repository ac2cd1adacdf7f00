package io.javarun.seccomp;

import io.javarun.linux.LinuxNative;
import io.javarun.linux.NativeFiles;
import io.javarun.process.HelperSession;
import io.javarun.process.Plan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The seccomp programs libseccomp built before, kept so that a profile seen again (Docker's or
 * containerd's default, in nearly every container) is loaded as it is: libseccomp takes some
 * 12 ms to build Docker's 340 rules for three architectures, in every create and exec. runc
 * builds it every time; crun keeps such a cache too.
 *
 * <p>An entry is used only when its whole key is equal to the one wanted, not a digest of it: the
 * fields of the SECCOMP op (the profile as the helper would get it), the helper binary (size,
 * modification time, inode) and the kernel (release, version, architecture), whose features
 * libseccomp's output depends on. So nothing that shapes the program can be left out by accident.
 *
 * <p>The cache lives in the state root, {@code <root>/@seccomp-cache} ('@' is never part of a
 * container id), a directory of mode 0700 that must be owned by our euid: only whoever can already
 * change the containers can change it. At most {@value #MAX_ENTRIES} entries; the oldest go when
 * a new one is stored. Any problem with it only means libseccomp builds the program again.
 */
public final class SeccompCache {
    public static final String DIR_NAME = "@seccomp-cache";
    static final int MAX_ENTRIES = 32;
    /** The helper ops (native/PROTOCOL.md). */
    static final String EXPORT_OP = "SECCOMP_EXPORT";
    static final String BPF_OP = "SECCOMP_BPF";
    private static final byte[] MAGIC = "javarun seccomp program 1\n".getBytes(StandardCharsets.US_ASCII);
    /** Far above any real entry (BPF_MAXINSNS instructions in hex and a big profile). */
    private static final int MAX_FILE = 4 << 20;
    /** st_mode's file type bits, and a directory's. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;

    private final Path dir;
    private final Path helper;
    /** Who must own the directory: us. */
    private final int euid;

    SeccompCache(Path stateRoot, Path helper, int euid) {
        this.dir = stateRoot.resolve(DIR_NAME);
        this.helper = helper;
        this.euid = euid;
    }

    /** The cache of the containers under {@code stateRoot}, for programs of the installed helper. */
    public static SeccompCache in(Path stateRoot) {
        LinuxNative.load();
        return new SeccompCache(stateRoot, NativeFiles.helper(), LinuxNative.geteuid());
    }

    /**
     * Looks the plan's SECCOMP op up. Found: the op becomes SECCOMP_BPF with the stored program.
     * Not found: SECCOMP_EXPORT goes before it, so that the helper reports the program it builds,
     * for {@link Use#storeFrom}. A use that does nothing when the plan loads no filter or the key
     * cannot be made.
     */
    public Use apply(Plan plan) {
        int index = plan.indexOf(SeccompPlanner.OP);
        if (index < 0) {
            return new Use(null, null, null);
        }
        List<String> fields = plan.op(index).fields();
        String key;
        try {
            key = key(fields);
        } catch (IOException e) {
            return new Use(null, null, null);
        }
        Path file = dir.resolve(name(key));
        Entry e = trusted() ? read(file, key) : null;
        if (e != null) {
            // The flags are seccomp(2)'s, not the program's: SECCOMP's second field.
            plan.replace(index, BPF_OP, List.of(fields.get(1), e.programHex()));
            return new Use(key, file, e.unknown());
        }
        plan.insert(index, plan.op(index).step(), EXPORT_OP);
        return new Use(key, file, null);
    }

    /** One plan's use of the cache. */
    public final class Use {
        private final String key;
        private final Path file;
        private final List<String> cachedUnknown;

        private Use(String key, Path file, List<String> cachedUnknown) {
            this.key = key;
            this.file = file;
            this.cachedUnknown = cachedUnknown;
        }

        /** True when the plan loads a stored program. */
        public boolean hit() {
            return cachedUnknown != null;
        }

        /**
         * On a hit, tells {@code reports} the syscall names libseccomp skipped when it built the
         * stored program, as the helper would have when building it now.
         */
        public void warnCached(HelperSession.SeccompReports reports) {
            if (hit() && !cachedUnknown.isEmpty()) {
                reports.unknownSyscalls(cachedUnknown);
            }
        }

        /**
         * After the process loaded its filter: stores the program the helper reported (a miss
         * only; nothing when it reported none). Failures are ignored: it is only a cache.
         */
        public void storeFrom(HelperSession session) {
            String programHex = session.seccompProgram();
            if (key == null || hit() || programHex == null || programHex.isEmpty()) {
                return;
            }
            store(programHex, session.seccompUnknown());
        }

        void store(String programHex, List<String> unknown) {
            try {
                write(file, key, programHex, unknown);
            } catch (IOException | RuntimeException ignored) {
                // The next create builds it again.
            }
        }
    }

    private record Entry(String programHex, List<String> unknown) {}

    private String key(List<String> fields) throws IOException {
        BasicFileAttributes a = Files.readAttributes(helper, BasicFileAttributes.class);
        StringBuilder k = new StringBuilder(16384);
        // FileTime's own text would start java.time's formatting: its milliseconds will do.
        k.append("helper ").append(helper).append(' ').append(a.size()).append(' ')
                .append(a.lastModifiedTime().toMillis()).append(' ').append(a.fileKey()).append('\n');
        k.append("kernel ").append(System.getProperty("os.version")).append(' ')
                .append(System.getProperty("os.arch")).append(' ')
                .append(Files.readString(Path.of("/proc/sys/kernel/version")).trim()).append('\n');
        for (String f : fields) {
            k.append(f).append('\0');
        }
        return k.toString();
    }

    /** A file name for the key: 64-bit FNV-1a in hex (collisions only cost a rebuild). */
    static String name(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "0000000000000000".substring(hex.length()) + hex;
    }

    /** The directory is ours and private; else nothing in it is read or written. One stat. */
    private boolean trusted() {
        try {
            Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int mode = (int) a.get("mode");
            return (int) a.get("uid") == euid && (mode & S_IFMT) == S_IFDIR && (mode & 0077) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The entry for key, or null when there is none, it is another key's, or it is damaged. */
    private static Entry read(Path file, String key) {
        byte[] data;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            data = in.readNBytes(MAX_FILE + 1);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC) || !bytes(b).equals(key)) {
                return null;
            }
            int n = b.getInt();
            List<String> unknown = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                unknown.add(bytes(b));
            }
            String program = bytes(b);
            return b.hasRemaining() || program.isEmpty() ? null : new Entry(program, unknown);
        } catch (RuntimeException e) {
            // Short or garbled (a write cut off, another format): built again.
            return null;
        }
    }

    private static String bytes(ByteBuffer b) {
        byte[] s = new byte[b.getInt()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private void write(Path file, String key, String programHex, List<String> unknown) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // Made before, by us or a create running alongside.
        }
        if (!trusted()) {
            return;
        }
        List<byte[]> parts = new ArrayList<>();
        parts.add(key.getBytes(StandardCharsets.UTF_8));
        for (String u : unknown) {
            parts.add(u.getBytes(StandardCharsets.UTF_8));
        }
        parts.add(programHex.getBytes(StandardCharsets.US_ASCII));
        int size = MAGIC.length + 4;
        for (byte[] p : parts) {
            size += 4 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(MAGIC);
        b.putInt(parts.get(0).length).put(parts.get(0));
        b.putInt(unknown.size());
        for (int i = 1; i < parts.size(); i++) {
            b.putInt(parts.get(i).length).put(parts.get(i));
        }
        // Written aside and renamed: a reader sees a whole entry or none.
        Path tmp = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.write(tmp, b.array());
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        prune();
    }

    /** Removes the oldest entries above {@link #MAX_ENTRIES}. */
    private void prune() throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                entries.add(p);
            }
        }
        if (entries.size() <= MAX_ENTRIES) {
            return;
        }
        entries.sort((x, y) -> lastModified(x).compareTo(lastModified(y)));
        for (Path p : entries.subList(0, entries.size() - MAX_ENTRIES)) {
            Files.deleteIfExists(p);
        }
    }

    private static FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
