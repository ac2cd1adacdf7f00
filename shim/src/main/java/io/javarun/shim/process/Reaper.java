package io.javarun.shim.process;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.process.Children;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The shim's one reaper: a subreaper collects every child (container inits, execs, the helper,
 * hooks, and orphans reparented to it), so exactly one loop may call waitpid. It hands each
 * status to whoever expects that pid: a thread blocked in {@link #await}, or a listener.
 *
 * <p>The loop first learns a pid with waitid(WNOWAIT), which leaves the zombie in place, and
 * reaps it only under the lock, so "the pid is gone" and "its status is recorded" change
 * together: an {@link #expect} can never confuse a new process with an old one of the same pid.
 */
public final class Reaper extends Children implements Runnable {
    /** A status nobody asked for yet, kept because someone said it would ask. */
    private final Map<Integer, Integer> statuses = new HashMap<>();
    private final Set<Integer> expected = new HashSet<>();
    private final Map<Integer, IntConsumer> listeners = new HashMap<>();
    private final Object lock = new Object();
    /** Raised by spawn and expect: there may be children again after an ECHILD. */
    private boolean childrenMayExist;

    /** Becomes a subreaper, installs this reaper as the JVM's policy and starts its loop. */
    public static Reaper start() throws ErrnoException {
        LinuxNative.load();
        LinuxNative.becomeSubreaper();
        Reaper r = new Reaper();
        Children.install(r);
        Thread t = new Thread(r, "reaper");
        t.setDaemon(true);
        t.start();
        return r;
    }

    @Override
    public int spawn(String path, String[] argv, String[] envp, int[] fdMap, boolean setsid) throws ErrnoException {
        synchronized (lock) {
            // Holding the lock: the loop cannot reap the child before it is marked expected.
            int pid = LinuxNative.spawn(path, argv, envp, fdMap, setsid);
            expected.add(pid);
            childrenMayExist = true;
            lock.notifyAll();
            return pid;
        }
    }

    @Override
    public void expect(int pid) {
        synchronized (lock) {
            if (!statuses.containsKey(pid)) {
                expected.add(pid);
            }
            childrenMayExist = true;
            lock.notifyAll();
        }
    }

    @Override
    public void release(int pid) {
        synchronized (lock) {
            expected.remove(pid);
            statuses.remove(pid);
        }
    }

    /**
     * Calls {@code onExit} with the raw wait status when {@code pid} exits (at once, on this
     * thread, if it already has). The pid must have been spawned or expected.
     */
    public void onExit(int pid, IntConsumer onExit) {
        Integer status;
        synchronized (lock) {
            status = statuses.remove(pid);
            if (status == null) {
                listeners.put(pid, onExit);
                return;
            }
            expected.remove(pid);
        }
        onExit.accept(status);
    }

    @Override
    public int await(int pid) throws ErrnoException {
        return await(pid, Long.MAX_VALUE);
    }

    @Override
    public int await(int pid, long timeoutMillis) throws ErrnoException {
        long deadline = timeoutMillis == Long.MAX_VALUE ? Long.MAX_VALUE
                : System.currentTimeMillis() + timeoutMillis;
        synchronized (lock) {
            for (;;) {
                Integer status = statuses.remove(pid);
                if (status != null) {
                    expected.remove(pid);
                    return status;
                }
                if (!expected.contains(pid)) {
                    // Not ours to wait for: as waitpid says of a pid that is not our child.
                    throw new ErrnoException("waitpid", 10, "No child processes");
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return -1;
                }
                try {
                    lock.wait(Math.min(left, 60_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
        }
    }

    @Override
    public void run() {
        for (;;) {
            int pid;
            try {
                pid = LinuxNative.awaitAnyExit();
            } catch (ErrnoException e) {
                pid = -1;
            }
            if (pid <= 0) {
                waitForChildren();
                continue;
            }
            IntConsumer listener;
            int status;
            synchronized (lock) {
                try {
                    status = LinuxNative.waitpid(pid, false);
                } catch (ErrnoException e) {
                    continue;
                }
                listener = listeners.remove(pid);
                if (listener != null) {
                    expected.remove(pid);
                } else if (expected.contains(pid)) {
                    statuses.put(pid, status);
                    lock.notifyAll();
                }
                // Else an orphan nobody asked about: reaped, and that is all it needed.
            }
            if (listener != null) {
                try {
                    listener.accept(status);
                } catch (RuntimeException e) {
                    // A listener's failure must not stop the reaping of everything else.
                    e.printStackTrace();
                }
            }
        }
    }

    /** No children right now: sleep until a spawn or expect says there may be some again. */
    private void waitForChildren() {
        synchronized (lock) {
            if (!childrenMayExist) {
                try {
                    // Orphans only come from our own descendants, so the timeout is a safety net.
                    lock.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            childrenMayExist = false;
        }
    }
}
