package io.javarun.process;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.linux.NativeFiles;
import java.util.List;

/**
 * One run of the native helper: spawns it with the sync socket, hands it a {@link Plan}, and
 * reads its reports (PID, SYNC, READY, ERR). The process the helper forks is a child of this JVM
 * (CLONE_PARENT), so the caller can wait for it.
 */
public final class HelperSession implements AutoCloseable {
    private final Plan plan;
    private final int fd;
    private final int helperPid;
    private boolean helperReaped;
    private int childPid = -1;
    /** Set when handing over the plan failed: the helper died early, and its exit says why. */
    private ErrnoException sendFailed;
    private SeccompReports seccomp;
    /** What SECCOMP reported: the names libseccomp skipped, the program (after SECCOMP_EXPORT). */
    private final List<String> seccompUnknown = new java.util.ArrayList<>();
    private String seccompProgram;

    /**
     * What a SECCOMP op reports on its way (native/PROTOCOL.md): syscall names libseccomp does
     * not know, and the listener fd of a filter with SCMP_ACT_NOTIFY rules.
     */
    public interface SeccompReports {
        /** Names the helper skipped because libseccomp does not know them. */
        void unknownSyscalls(List<String> names);

        /**
         * The filter's listener fd, a copy in this process that the caller of this method closes.
         * The container process waits until this returns.
         */
        void listenerFd(int fd) throws StepException;
    }

    private HelperSession(Plan plan, int fd, int helperPid) {
        this.plan = plan;
        this.fd = fd;
        this.helperPid = helperPid;
    }

    /**
     * Spawns the helper and sends it the plan. Fds 0-2 and 3 .. 3+preserveFds-1 of this process
     * are inherited by the helper (and so the container); the sync socket goes right after them.
     */
    public static HelperSession start(Plan plan, int preserveFds) throws ErrnoException {
        return start(plan, preserveFds, Stdio.INHERIT);
    }

    /** As {@link #start(Plan, int)}, with the container's stdio taken from {@code stdio}. */
    public static HelperSession start(Plan plan, int preserveFds, Stdio stdio) throws ErrnoException {
        LinuxNative.load();
        int[] pair = LinuxNative.socketpairSeqpacket();
        int syncFd = 3 + preserveFds;
        String helper = NativeFiles.helper().toString();
        int pid;
        try {
            pid = Children.current().spawn(helper, new String[] {helper, Integer.toString(syncFd)}, new String[0],
                    stdio.fdMap(pair[1], syncFd), false);
        } catch (ErrnoException e) {
            LinuxNative.close(pair[0]);
            LinuxNative.close(pair[1]);
            throw e;
        }
        LinuxNative.close(pair[1]);
        HelperSession s = new HelperSession(plan, pair[0], pid);
        try {
            for (byte[] message : plan.encode()) {
                LinuxNative.sendMessage(s.fd, message);
            }
        } catch (ErrnoException e) {
            // The helper died early; its ERR (if any) says more than EPIPE does.
            s.sendFailed = e;
        }
        return s;
    }

    /** Where the reports of a SECCOMP op go; without it, a listener fd is a protocol error. */
    public void seccompReports(SeccompReports reports) {
        this.seccomp = reports;
    }

    /** The program a SECCOMP op after SECCOMP_EXPORT reported (hex), or null. */
    public String seccompProgram() {
        return seccompProgram;
    }

    /** The syscall names SECCOMP reported libseccomp did not know. */
    public List<String> seccompUnknown() {
        return seccompUnknown;
    }

    /** Reads reports until PID; reaps the helper, which exits after sending it. */
    public int awaitPid() throws StepException {
        expect("PID");
        reapHelper();
        return childPid;
    }

    /** Reads reports until SYNC name. */
    public void awaitSync(String name) throws StepException {
        List<String> m = expect("SYNC");
        if (!m.get(1).equals(name)) {
            throw protocolError("expected SYNC " + name + ", got SYNC " + m.get(1));
        }
    }

    /** Lets the child go on; {@code fields} (state JSON for hooks in the container) ride along. */
    public void go(String... fields) throws ErrnoException {
        List<String> record = new java.util.ArrayList<>(fields.length + 1);
        record.add("GO");
        for (String f : fields) {
            record.add(f);
        }
        LinuxNative.sendMessage(fd, Record.encode(record));
    }

    public void awaitReady() throws StepException {
        expect("READY");
    }

    /**
     * After the last op before EXEC: end of stream means the exec happened (the socket is
     * close-on-exec in the child); an ERR means it did not.
     */
    public void awaitExec() throws StepException {
        List<String> m = next();
        if (m != null) {
            throw protocolError("unexpected " + m.get(0) + " before exec");
        }
    }

    private List<String> expect(String name) throws StepException {
        List<String> m = next();
        if (m == null && childPid > 0) {
            throw new StepException("prepare the container process", 0, childExitText(), "");
        }
        if (m == null) {
            throw new StepException("run the javarun helper", 0, helperExitText(), "");
        }
        if (!m.get(0).equals(name)) {
            throw protocolError("expected " + name + ", got " + m.get(0));
        }
        if (name.equals("PID")) {
            childPid = Integer.parseInt(m.get(1));
            Children.current().expect(childPid);
        }
        return m;
    }

    /**
     * The next report; ERR becomes a StepException; null at end of stream. The SECCOMP op's own
     * reports are handled on the way and never returned.
     */
    private List<String> next() throws StepException {
        while (true) {
            List<String> m = receive();
            if (m == null) {
                return null;
            }
            if (m.get(0).equals("SECCOMP_UNKNOWN")) {
                seccompUnknown.addAll(m.subList(1, m.size()));
                if (seccomp != null) {
                    seccomp.unknownSyscalls(m.subList(1, m.size()));
                }
            } else if (m.get(0).equals("SECCOMP_PROGRAM") && m.size() == 2) {
                seccompProgram = m.get(1);
            } else if (m.get(0).equals("SECCOMP_FD") && m.size() == 2) {
                handOverListener(m.get(1));
            } else {
                return m;
            }
        }
    }

    /**
     * The container process loaded a filter with a listener and waits: take a copy of its fd
     * number {@code fdText} (pidfd_getfd, as runc: the process itself only writes the number),
     * hand it on, and let the process go on.
     */
    private void handOverListener(String fdText) throws StepException {
        if (seccomp == null || childPid <= 0) {
            throw protocolError("unexpected SECCOMP_FD");
        }
        int fd;
        try {
            fd = LinuxNative.pidfdGetfd(childPid, Integer.parseInt(fdText));
        } catch (NumberFormatException e) {
            throw protocolError("bad SECCOMP_FD " + fdText);
        } catch (ErrnoException e) {
            throw new StepException("take the seccomp listener fd of process " + childPid, e.errno(),
                    reason(e.errno(), ""), e.getMessage());
        }
        try {
            seccomp.listenerFd(fd);
        } finally {
            // Our copy only: the agent has its own.
            LinuxNative.closeQuietly(fd);
        }
        try {
            go();
        } catch (ErrnoException e) {
            throw new StepException("let the container process go on", e.errno(), reason(e.errno(), ""), "");
        }
    }

    /** One record as sent; ERR becomes a StepException; null at end of stream. */
    private List<String> receive() throws StepException {
        byte[] raw;
        try {
            raw = LinuxNative.receiveMessage(fd);
        } catch (ErrnoException e) {
            throw new StepException("read from the javarun helper", e.errno(), e.reason(), "");
        }
        if (raw == null) {
            return null;
        }
        List<String> m;
        try {
            m = Record.decode(raw);
        } catch (IllegalArgumentException e) {
            throw protocolError("bad record from the helper: " + e.getMessage());
        }
        if (m.get(0).equals("ERR") && m.size() >= 4) {
            int index = Integer.parseInt(m.get(1));
            int errno = Integer.parseInt(m.get(2));
            Plan.Op op = plan.op(index);
            String step = op == null ? "prepare the container process" : op.step();
            throw new StepException(step, errno, reason(errno, m.get(3)), m.get(3));
        }
        return m;
    }

    /** Go's style, as runc prints it: strerror in lower case ("permission denied"). */
    private static String reason(int errno, String detail) {
        if (errno == 0) {
            return detail;
        }
        String text = LinuxNative.strerror(errno);
        String lower = text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
        // The helper's own words for lookups say more than ENOENT does.
        return detail.startsWith("executable file not found") ? detail : lower;
    }

    private StepException protocolError(String what) {
        return new StepException("talk to the javarun helper", 0, what, "");
    }

    /**
     * The forked process ended without a report (after PID, the helper itself has exited): how
     * it ended, e.g. killed by the OOM killer under a small memory limit.
     */
    private String childExitText() {
        try {
            // Its socket closes as it dies: give the exit a moment to be collectable.
            int status = Children.current().await(childPid, 100);
            if (status == -1) {
                return "the process closed its end of the sync socket without a report";
            }
            return LinuxNative.exited(status)
                    ? "the process exited with status " + LinuxNative.exitCode(status) + " before it was ready"
                    : "the process was killed by signal " + LinuxNative.termSignal(status) + " before it was ready"
                            + (LinuxNative.termSignal(status) == 9 ? " (SIGKILL: out of memory under its limit?)" : "");
        } catch (ErrnoException e) {
            return "the process ended without a report";
        }
    }

    /** Why the helper ended without a report: its exit status, and a failed plan hand-over. */
    private String helperExitText() {
        String why;
        try {
            int status = Children.current().await(helperPid);
            helperReaped = true;
            why = LinuxNative.exited(status)
                    ? "helper exited with status " + LinuxNative.exitCode(status) + " without a report"
                    : "helper killed by signal " + LinuxNative.termSignal(status);
        } catch (ErrnoException e) {
            why = "helper vanished: " + e.getMessage();
        }
        return sendFailed == null ? why : why + " (handing it the plan failed: " + sendFailed.getMessage() + ")";
    }

    private void reapHelper() {
        if (helperReaped) {
            return;
        }
        try {
            Children.current().await(helperPid);
        } catch (ErrnoException e) {
            // Already reaped by someone else: nothing to collect.
        }
        helperReaped = true;
    }

    @Override
    public void close() {
        LinuxNative.closeQuietly(fd);
        reapHelper();
    }
}
