package io.javarun.protos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract of reference/containerd-shim-v2.md, restated independently of the .proto files:
 * every message's fields with number and type ("*" = repeated), and nothing else.
 */
class FieldNumbersTest {
    static final FileDescriptor[] FILES = {
        io.javarun.protos.ttrpc.TtrpcProto.getDescriptor(),
        io.javarun.protos.rpc.StatusProto.getDescriptor(),
        io.javarun.protos.types.MountProto.getDescriptor(),
        io.javarun.protos.types.TaskTypesProto.getDescriptor(),
        io.javarun.protos.task.TaskProto.getDescriptor(),
        io.javarun.protos.events.TaskEventsProto.getDescriptor(),
        io.javarun.protos.eventservice.EventsProto.getDescriptor(),
        io.javarun.protos.runc.RuncOptionsProto.getDescriptor(),
        io.javarun.protos.runtimeoptions.RuntimeOptionsProto.getDescriptor(),
    };

    static final String TS = "google.protobuf.Timestamp";
    static final String ANY = "google.protobuf.Any";

    static final String[] CONTRACT = {
        "ttrpc.Request: service=1:string method=2:string payload=3:bytes timeout_nano=4:int64 metadata=5:*ttrpc.KeyValue",
        "ttrpc.Response: status=1:google.rpc.Status payload=2:bytes",
        "ttrpc.KeyValue: key=1:string value=2:string",
        "google.rpc.Status: code=1:int32 message=2:string details=3:*" + ANY,
        "containerd.types.Mount: type=1:string source=2:string target=3:string options=4:*string",
        "containerd.v1.types.ProcessInfo: pid=1:uint32 info=2:" + ANY,
        "containerd.task.v2.CreateTaskRequest: id=1:string bundle=2:string rootfs=3:*containerd.types.Mount"
            + " terminal=4:bool stdin=5:string stdout=6:string stderr=7:string checkpoint=8:string"
            + " parent_checkpoint=9:string options=10:" + ANY,
        "containerd.task.v2.CreateTaskResponse: pid=1:uint32",
        "containerd.task.v2.StartResponse: pid=1:uint32",
        "containerd.task.v2.StartRequest: id=1:string exec_id=2:string",
        "containerd.task.v2.DeleteRequest: id=1:string exec_id=2:string",
        "containerd.task.v2.StateRequest: id=1:string exec_id=2:string",
        "containerd.task.v2.WaitRequest: id=1:string exec_id=2:string",
        "containerd.task.v2.DeleteResponse: pid=1:uint32 exit_status=2:uint32 exited_at=3:" + TS,
        "containerd.task.v2.ExecProcessRequest: id=1:string exec_id=2:string terminal=3:bool stdin=4:string"
            + " stdout=5:string stderr=6:string spec=7:" + ANY,
        "containerd.task.v2.ResizePtyRequest: id=1:string exec_id=2:string width=3:uint32 height=4:uint32",
        "containerd.task.v2.StateResponse: id=1:string bundle=2:string pid=3:uint32 status=4:containerd.v1.types.Status"
            + " stdin=5:string stdout=6:string stderr=7:string terminal=8:bool exit_status=9:uint32"
            + " exited_at=10:" + TS + " exec_id=11:string",
        "containerd.task.v2.KillRequest: id=1:string exec_id=2:string signal=3:uint32 all=4:bool",
        "containerd.task.v2.CloseIORequest: id=1:string exec_id=2:string stdin=3:bool",
        "containerd.task.v2.PidsRequest: id=1:string",
        "containerd.task.v2.PidsResponse: processes=1:*containerd.v1.types.ProcessInfo",
        "containerd.task.v2.CheckpointTaskRequest: id=1:string path=2:string options=3:" + ANY,
        "containerd.task.v2.UpdateTaskRequest: id=1:string resources=2:" + ANY + " annotations=3:map",
        "containerd.task.v2.WaitResponse: exit_status=1:uint32 exited_at=2:" + TS,
        "containerd.task.v2.StatsRequest: id=1:string",
        "containerd.task.v2.StatsResponse: stats=1:" + ANY,
        "containerd.task.v2.ConnectRequest: id=1:string",
        "containerd.task.v2.ConnectResponse: shim_pid=1:uint32 task_pid=2:uint32 version=3:string",
        "containerd.task.v2.ShutdownRequest: id=1:string now=2:bool",
        "containerd.task.v2.PauseRequest: id=1:string",
        "containerd.task.v2.ResumeRequest: id=1:string",
        "containerd.events.TaskCreate: container_id=1:string bundle=2:string rootfs=3:*containerd.types.Mount"
            + " io=4:containerd.events.TaskIO checkpoint=5:string pid=6:uint32",
        "containerd.events.TaskIO: stdin=1:string stdout=2:string stderr=3:string terminal=4:bool",
        "containerd.events.TaskStart: container_id=1:string pid=2:uint32",
        "containerd.events.TaskExit: container_id=1:string id=2:string pid=3:uint32 exit_status=4:uint32 exited_at=5:" + TS,
        "containerd.events.TaskDelete: container_id=1:string pid=2:uint32 exit_status=3:uint32 exited_at=4:" + TS
            + " id=5:string",
        "containerd.events.TaskOOM: container_id=1:string",
        "containerd.events.TaskExecAdded: container_id=1:string exec_id=2:string",
        "containerd.events.TaskExecStarted: container_id=1:string exec_id=2:string pid=3:uint32",
        "containerd.events.TaskPaused: container_id=1:string",
        "containerd.events.TaskResumed: container_id=1:string",
        "containerd.events.TaskCheckpointed: container_id=1:string checkpoint=2:string",
        "containerd.services.events.ttrpc.v1.ForwardRequest: envelope=1:containerd.services.events.ttrpc.v1.Envelope",
        "containerd.services.events.ttrpc.v1.Envelope: timestamp=1:" + TS + " namespace=2:string topic=3:string event=4:" + ANY,
        "containerd.runc.v1.Options: no_pivot_root=1:bool no_new_keyring=2:bool shim_cgroup=3:string io_uid=4:uint32"
            + " io_gid=5:uint32 binary_name=6:string root=7:string criu_path=8:string systemd_cgroup=9:bool"
            + " criu_image_path=10:string criu_work_path=11:string",
        "containerd.runc.v1.CheckpointOptions: exit=1:bool open_tcp=2:bool external_unix_sockets=3:bool terminal=4:bool"
            + " file_locks=5:bool empty_namespaces=6:*string cgroups_mode=7:string image_path=8:string work_path=9:string",
        "containerd.runc.v1.ProcessDetails: exec_id=1:string",
        "runtimeoptions.v1.Options: type_url=1:string config_path=2:string config_body=3:string",
    };

    static Descriptor message(String fullName) {
        for (FileDescriptor f : FILES) {
            if (fullName.startsWith(f.getPackage() + ".")) {
                Descriptor d = f.findMessageTypeByName(fullName.substring(f.getPackage().length() + 1));
                if (d != null) {
                    return d;
                }
            }
        }
        return null;
    }

    static String describe(FieldDescriptor f) {
        String type;
        if (f.isMapField()) {
            return f.getName() + "=" + f.getNumber() + ":map";
        } else if (f.getType() == FieldDescriptor.Type.MESSAGE) {
            type = f.getMessageType().getFullName();
        } else if (f.getType() == FieldDescriptor.Type.ENUM) {
            type = f.getEnumType().getFullName();
        } else {
            type = f.getType().name().toLowerCase();
        }
        return f.getName() + "=" + f.getNumber() + ":" + (f.isRepeated() ? "*" : "") + type;
    }

    @Test
    void messagesMatchTheContract() {
        List<String> mismatches = new ArrayList<>();
        for (String line : CONTRACT) {
            String name = line.substring(0, line.indexOf(':'));
            String expected = line.substring(line.indexOf(':') + 2);
            Descriptor d = message(name);
            assertNotNull(d, name);
            String actual = d.getFields().stream().map(FieldNumbersTest::describe).collect(Collectors.joining(" "));
            if (!expected.equals(actual)) {
                mismatches.add(name + "\n  expected " + expected + "\n  actual   " + actual);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void statusEnum() {
        var e = io.javarun.protos.types.Status.getDescriptor();
        assertEquals("containerd.v1.types.Status", e.getFullName());
        assertEquals("UNKNOWN=0 CREATED=1 RUNNING=2 STOPPED=3 PAUSED=4 PAUSING=5", e.getValues().stream()
                .map(v -> v.getName() + "=" + v.getNumber()).collect(Collectors.joining(" ")));
    }

    @Test
    void taskServiceHasTheSeventeenRpcs() {
        ServiceDescriptor s = io.javarun.protos.task.TaskProto.getDescriptor().findServiceByName("Task");
        assertEquals("containerd.task.v2.Task", s.getFullName());
        assertEquals("State:StateResponse Create:CreateTaskResponse Start:StartResponse Delete:DeleteResponse"
                + " Pids:PidsResponse Pause:Empty Resume:Empty Checkpoint:Empty Kill:Empty Exec:Empty"
                + " ResizePty:Empty CloseIO:Empty Update:Empty Wait:WaitResponse Stats:StatsResponse"
                + " Connect:ConnectResponse Shutdown:Empty",
                s.getMethods().stream().map(m -> m.getName() + ":" + m.getOutputType().getName())
                        .collect(Collectors.joining(" ")));
        MethodDescriptor fwd = io.javarun.protos.eventservice.EventsProto.getDescriptor()
                .findServiceByName("Events").findMethodByName("Forward");
        assertEquals("containerd.services.events.ttrpc.v1.Events", fwd.getService().getFullName());
        assertEquals("google.protobuf.Empty", fwd.getOutputType().getFullName());
    }
}
