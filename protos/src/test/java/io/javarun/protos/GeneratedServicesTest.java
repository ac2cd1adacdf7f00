package io.javarun.protos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Empty;
import io.javarun.protos.eventservice.Envelope;
import io.javarun.protos.eventservice.EventsProto;
import io.javarun.protos.eventservice.EventsService;
import io.javarun.protos.eventservice.ForwardRequest;
import io.javarun.protos.task.CheckpointTaskRequest;
import io.javarun.protos.task.ConnectRequest;
import io.javarun.protos.task.ConnectResponse;
import io.javarun.protos.task.KillRequest;
import io.javarun.protos.task.TaskProto;
import io.javarun.protos.task.TaskService;
import io.javarun.ttrpc.CallContext;
import io.javarun.ttrpc.TtrpcClient;
import io.javarun.ttrpc.TtrpcException;
import io.javarun.ttrpc.TtrpcServer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TaskService and EventsService as TtrpcStubGenerator writes them, served and called over a real socket. */
class GeneratedServicesTest {
    static final String V3 = "containerd.task.v3.Task";
    static final Map<String, String> NS = Map.of(CallContext.NAMESPACE_KEY, "k8s.io");
    static final Duration T = Duration.ofSeconds(10);

    final RecordingTask task = new RecordingTask();
    final BlockingQueue<ForwardRequest> forwarded = new LinkedBlockingQueue<>();
    Path dir;
    TtrpcServer server;
    TtrpcClient client;

    @BeforeEach
    void start() throws Exception {
        // not @TempDir: java.io.tmpdir may be long, and a socket path must fit in 108 bytes
        dir = Files.createTempDirectory(Path.of("/tmp"), "ttrpc-");
        server = new TtrpcServer();
        TaskService.register(server, task);
        TaskService.register(server, V3, task);
        EventsService.register(server, (ctx, req) -> {
            forwarded.add(req);
            return Empty.getDefaultInstance();
        });
        server.start(dir.resolve("s"));
        client = TtrpcClient.connect(dir.resolve("s"));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        Files.deleteIfExists(dir);
    }

    /** Every rpc protoc knows of reaches the implementation, under both names the shim serves. */
    @Test
    void everyRpcIsRegisteredUnderV2AndV3() throws Exception {
        ServiceDescriptor sd = TaskProto.getDescriptor().findServiceByName("Task");
        assertEquals(17, sd.getMethods().size());
        for (String service : List.of(TaskService.NAME, V3)) {
            for (MethodDescriptor m : sd.getMethods()) {
                String id = service + "/" + m.getName();
                Descriptor in = m.getInputType();
                DynamicMessage req = DynamicMessage.newBuilder(in).setField(in.findFieldByName("id"), id).build();
                try {
                    client.call(service, m.getName(), req.toByteString(), NS, T);
                } catch (TtrpcException e) {
                    assertTrue(Set.of("Kill", "Checkpoint").contains(m.getName()), id + ": " + e);
                }
                RecordingTask.Call call = task.calls.poll(10, TimeUnit.SECONDS);
                assertNotNull(call, id + " reached the implementation");
                assertEquals(service, call.service());
                assertEquals(m.getName(), call.method());
                assertEquals("k8s.io", call.namespace());
                assertEquals(in, call.request().getDescriptorForType());
                assertEquals(id, call.request().getField(in.findFieldByName("id")));
            }
        }
        assertEquals(0, task.calls.size());
    }

    @Test
    void clientCallsAndErrorCodesMapThrough() throws Exception {
        TaskService.Client tasks = new TaskService.Client(client);
        ConnectResponse r = tasks.connect(ConnectRequest.newBuilder().setId("abc").build(), NS, T);
        assertEquals(1234, r.getShimPid());
        assertEquals("abc", r.getVersion());

        TtrpcException e = assertThrows(TtrpcException.class,
                () -> tasks.checkpoint(CheckpointTaskRequest.newBuilder().setId("c").build(), NS, T));
        assertEquals(TtrpcException.Code.UNIMPLEMENTED, e.code());
        assertEquals("checkpoint: not implemented", e.getMessage());
        e = assertThrows(TtrpcException.class,
                () -> tasks.kill(KillRequest.newBuilder().setId("c").setExecId("e1").build(), NS, T));
        assertEquals(TtrpcException.Code.NOT_FOUND, e.code());
        assertEquals("process e1: not found", e.getMessage());

        task.calls.clear();
        TaskService.Client v3 = new TaskService.Client(client, V3);
        assertEquals("v3", v3.connect(ConnectRequest.newBuilder().setId("v3").build(), NS, null).getVersion());
        assertEquals(V3, task.calls.take().service());
    }

    @Test
    void eventsForward() throws Exception {
        EventsService.Client events = new EventsService.Client(client);
        ForwardRequest req = ForwardRequest.newBuilder()
                .setEnvelope(Envelope.newBuilder().setNamespace("k8s.io").setTopic("/tasks/oom")).build();
        assertEquals(Empty.getDefaultInstance(), events.forward(req, NS, T));
        assertEquals(req, forwarded.poll(10, TimeUnit.SECONDS));
    }

    /** The generator's reading of the .proto files agrees with protoc's: names, request and reply classes. */
    @Test
    void generatedMethodsMatchProtocsDescriptors() throws Exception {
        assertMatches(TaskService.class, TaskService.Client.class, TaskProto.getDescriptor().findServiceByName("Task"));
        assertMatches(EventsService.class, EventsService.Client.class,
                EventsProto.getDescriptor().findServiceByName("Events"));
    }

    private static void assertMatches(Class<?> iface, Class<?> clientClass, ServiceDescriptor sd) throws Exception {
        assertEquals(sd.getFullName(), iface.getField("NAME").get(null));
        long abstractMethods = Arrays.stream(iface.getDeclaredMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers())).count();
        assertEquals(sd.getMethods().size(), abstractMethods, iface + ": one method per rpc");
        for (MethodDescriptor md : sd.getMethods()) {
            String name = Character.toLowerCase(md.getName().charAt(0)) + md.getName().substring(1);
            Method served = Arrays.stream(iface.getDeclaredMethods()).filter(m -> m.getName().equals(name)
                    && Modifier.isAbstract(m.getModifiers())).findFirst().orElseThrow(() -> new AssertionError(name));
            assertEquals(CallContext.class, served.getParameterTypes()[0], name);
            Class<?> req = served.getParameterTypes()[1];
            assertEquals(md.getInputType(), descriptorOf(req), name);
            assertEquals(md.getOutputType(), descriptorOf(served.getReturnType()), name);
            assertEquals(List.of(Exception.class), List.of(served.getExceptionTypes()), name);
            Method call = clientClass.getMethod(name, req, Map.class, Duration.class);
            assertEquals(served.getReturnType(), call.getReturnType(), name);
            assertEquals(List.of(TtrpcException.class), List.of(call.getExceptionTypes()), name);
        }
    }

    private static Descriptor descriptorOf(Class<?> message) throws Exception {
        return (Descriptor) message.getMethod("getDescriptor").invoke(null);
    }
}
