package io.javarun.shim.events;

import com.google.protobuf.Any;
import com.google.protobuf.MessageLite;
import io.javarun.protos.eventservice.Envelope;
import io.javarun.shim.ProtoTimestamps;
import io.javarun.protos.eventservice.EventsService;
import io.javarun.protos.eventservice.ForwardRequest;
import io.javarun.ttrpc.CallContext;
import io.javarun.ttrpc.TtrpcClient;
import io.javarun.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Publishes task events to containerd (Events/Forward on TTRPC_ADDRESS) from one ordered queue,
 * so that a start always reaches containerd before the exit that follows it. A publish that
 * fails is retried (as runc's shim: 5 tries, 5 s each) and then logged, never dropped silently.
 */
public final class EventPublisher implements AutoCloseable {
    private static final int TRIES = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Envelope STOP = Envelope.getDefaultInstance();

    private final Path address;
    private final String namespace;
    private final Consumer<String> log;
    private final LinkedBlockingQueue<Envelope> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private TtrpcClient client;

    public EventPublisher(Path address, String namespace, Consumer<String> log) {
        this.address = address;
        this.namespace = namespace;
        this.log = log;
        this.sender = new Thread(this::sendLoop, "events");
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues an event; {@code typeUrl} is containerd's bare type name (e.g. containerd.events.TaskExit). */
    public void publish(String topic, String typeUrl, MessageLite event) {
        queue.add(Envelope.newBuilder()
                .setTimestamp(ProtoTimestamps.of(Instant.now()))
                .setNamespace(namespace)
                .setTopic(topic)
                .setEvent(Any.newBuilder().setTypeUrl(typeUrl).setValue(event.toByteString()))
                .build());
    }

    /** Sends what is queued (waiting up to 10 s for it), then stops: the daemon is about to exit. */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            sender.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendLoop() {
        for (;;) {
            Envelope e;
            try {
                e = queue.take();
            } catch (InterruptedException ie) {
                return;
            }
            if (e == STOP) {
                disconnect();
                return;
            }
            send(e);
        }
    }

    private void send(Envelope e) {
        String failure = null;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            try {
                if (client == null || client.isClosed()) {
                    client = TtrpcClient.connect(address);
                }
                new EventsService.Client(client).forward(ForwardRequest.newBuilder().setEnvelope(e).build(),
                        Map.of(CallContext.NAMESPACE_KEY, namespace), TIMEOUT);
                return;
            } catch (IOException | TtrpcException ex) {
                failure = ex.getMessage();
                disconnect();
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        log.accept("publish " + e.getTopic() + " to " + address + " failed after " + TRIES + " tries: " + failure);
    }

    private void disconnect() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
