package io.javarun.shim.launch;

import io.javarun.protos.task.TaskService;
import io.javarun.shim.events.EventPublisher;
import io.javarun.shim.process.Reaper;
import io.javarun.shim.task.TaskServer;
import io.javarun.ttrpc.TtrpcServer;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * The shim daemon: a subreaper serving the task service of its group's containers on the socket
 * {@code start} bound and handed over as stdin. It exits after Shutdown once no container is
 * left, or on SIGTERM.
 */
final class Daemon {
    private Daemon() {}

    static void run(ShimFlags f, Path stateBase, Path consoleDir, Consumer<String> log) throws Exception {
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof ServerSocketChannel listener)) {
            throw new IOException("the daemon expects its listening socket as stdin (started by the shim's start)");
        }
        Path socket = ((UnixDomainSocketAddress) listener.getLocalAddress()).getPath();
        Reaper reaper = Reaper.start();
        String ttrpc = System.getenv("TTRPC_ADDRESS");
        if (ttrpc == null || ttrpc.isEmpty()) {
            ttrpc = f.address() + ".ttrpc";
        }
        EventPublisher events = new EventPublisher(Path.of(ttrpc.replaceFirst("^unix://", "")), f.namespace(), log);
        CountDownLatch done = new CountDownLatch(1);
        TaskServer tasks = new TaskServer(f.namespace(), stateBase, consoleDir, reaper, events, log, done::countDown);
        TtrpcServer server = new TtrpcServer();
        TaskService.register(server, "containerd.task.v2.Task", tasks);
        TaskService.register(server, "containerd.task.v3.Task", tasks);
        server.start(listener);
        Signal.handle(new Signal("TERM"), s -> done.countDown());
        done.await();
        // Let the Shutdown reply go out before the connections close.
        Thread.sleep(50);
        server.close();
        events.close();
        Files.deleteIfExists(socket);
        if (!tasks.isIdle()) {
            log.accept("shim exiting with containers left (SIGTERM or Shutdown now)");
        }
    }
}
