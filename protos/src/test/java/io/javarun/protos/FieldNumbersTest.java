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
import java.util.stream.IntStream;
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
        io.javarun.protos.cgroups.v1.CgroupsV1MetricsProto.getDescriptor(),
        io.javarun.protos.cgroups.v2.CgroupsV2MetricsProto.getDescriptor(),
    };

    static final String TS = "google.protobuf.Timestamp";
    static final String ANY = "google.protobuf.Any";
    static final String V1 = "io.containerd.cgroups.v1.";
    static final String V2 = "io.containerd.cgroups.v2.";
    static final String NETWORK_STAT = "name=1:string " + uint64s(2, "rx_bytes rx_packets rx_errors rx_dropped"
            + " tx_bytes tx_packets tx_errors tx_dropped");

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

        // cgroups metrics, as in containerd/cgroups (stats/v1 + cgroup1/stats, v2/stats + cgroup2/stats)
        V1 + "Metrics: hugetlb=1:*" + V1 + "HugetlbStat pids=2:" + V1 + "PidsStat cpu=3:" + V1 + "CPUStat"
            + " memory=4:" + V1 + "MemoryStat blkio=5:" + V1 + "BlkIOStat rdma=6:" + V1 + "RdmaStat"
            + " network=7:*" + V1 + "NetworkStat cgroup_stats=8:" + V1 + "CgroupStats"
            + " memory_oom_control=9:" + V1 + "MemoryOomControl",
        V1 + "HugetlbStat: " + uint64s(1, "usage max failcnt") + " pagesize=4:string",
        V1 + "PidsStat: " + uint64s(1, "current limit"),
        V1 + "CPUStat: usage=1:" + V1 + "CPUUsage throttling=2:" + V1 + "Throttle",
        V1 + "CPUUsage: " + uint64s(1, "total kernel user") + " per_cpu=4:*uint64",
        V1 + "Throttle: " + uint64s(1, "periods throttled_periods throttled_time"),
        V1 + "MemoryStat: " + uint64s(1, "cache rss rss_huge mapped_file dirty writeback pg_pg_in pg_pg_out"
            + " pg_fault pg_maj_fault inactive_anon active_anon inactive_file active_file unevictable"
            + " hierarchical_memory_limit hierarchical_swap_limit total_cache total_rss total_rss_huge"
            + " total_mapped_file total_dirty total_writeback total_pg_pg_in total_pg_pg_out total_pg_fault"
            + " total_pg_maj_fault total_inactive_anon total_active_anon total_inactive_file total_active_file"
            + " total_unevictable")
            + " usage=33:" + V1 + "MemoryEntry swap=34:" + V1 + "MemoryEntry kernel=35:" + V1 + "MemoryEntry"
            + " kernel_tcp=36:" + V1 + "MemoryEntry",
        V1 + "MemoryEntry: " + uint64s(1, "limit usage max failcnt"),
        V1 + "MemoryOomControl: " + uint64s(1, "oom_kill_disable under_oom oom_kill"),
        V1 + "BlkIOStat: io_service_bytes_recursive=1:*" + V1 + "BlkIOEntry io_serviced_recursive=2:*" + V1 + "BlkIOEntry"
            + " io_queued_recursive=3:*" + V1 + "BlkIOEntry io_service_time_recursive=4:*" + V1 + "BlkIOEntry"
            + " io_wait_time_recursive=5:*" + V1 + "BlkIOEntry io_merged_recursive=6:*" + V1 + "BlkIOEntry"
            + " io_time_recursive=7:*" + V1 + "BlkIOEntry sectors_recursive=8:*" + V1 + "BlkIOEntry",
        V1 + "BlkIOEntry: op=1:string device=2:string " + uint64s(3, "major minor value"),
        V1 + "RdmaStat: current=1:*" + V1 + "RdmaEntry limit=2:*" + V1 + "RdmaEntry",
        V1 + "RdmaEntry: device=1:string hca_handles=2:uint32 hca_objects=3:uint32",
        V1 + "NetworkStat: " + NETWORK_STAT,
        V1 + "CgroupStats: " + uint64s(1, "nr_sleeping nr_running nr_stopped nr_uninterruptible nr_io_wait"),

        V2 + "Metrics: pids=1:" + V2 + "PidsStat cpu=2:" + V2 + "CPUStat memory=4:" + V2 + "MemoryStat"
            + " rdma=5:" + V2 + "RdmaStat io=6:" + V2 + "IOStat hugetlb=7:*" + V2 + "HugeTlbStat"
            + " memory_events=8:" + V2 + "MemoryEvents network=9:*" + V2 + "NetworkStat",
        V2 + "PSIData: avg10=1:double avg60=2:double avg300=3:double total=4:uint64",
        V2 + "PSIStats: some=1:" + V2 + "PSIData full=2:" + V2 + "PSIData",
        V2 + "PidsStat: " + uint64s(1, "current limit"),
        V2 + "CPUStat: " + uint64s(1, "usage_usec user_usec system_usec nr_periods nr_throttled throttled_usec")
            + " psi=7:" + V2 + "PSIStats " + uint64s(8, "nr_bursts burst_usec"),
        V2 + "MemoryStat: " + uint64s(1, "anon file kernel_stack slab sock shmem file_mapped file_dirty"
            + " file_writeback anon_thp inactive_anon active_anon inactive_file active_file unevictable"
            + " slab_reclaimable slab_unreclaimable pgfault pgmajfault workingset_refault workingset_activate"
            + " workingset_nodereclaim pgrefill pgscan pgsteal pgactivate pgdeactivate pglazyfree pglazyfreed"
            + " thp_fault_alloc thp_collapse_alloc usage usage_limit swap_usage swap_limit max_usage swap_max_usage")
            + " psi=38:" + V2 + "PSIStats",
        V2 + "MemoryEvents: " + uint64s(1, "low high max oom oom_kill"),
        V2 + "RdmaStat: current=1:*" + V2 + "RdmaEntry limit=2:*" + V2 + "RdmaEntry",
        V2 + "RdmaEntry: device=1:string hca_handles=2:uint32 hca_objects=3:uint32",
        V2 + "IOStat: usage=1:*" + V2 + "IOEntry psi=2:" + V2 + "PSIStats",
        V2 + "IOEntry: " + uint64s(1, "major minor rbytes wbytes rios wios"),
        V2 + "HugeTlbStat: " + uint64s(1, "current max") + " pagesize=3:string",
        V2 + "NetworkStat: " + NETWORK_STAT,
    };

    /**
     * What CRI reads from a Stats reply (reference section 6), spelled out number by number from
     * the top message: a wrong number here is no error anywhere, just a zero in kubectl top.
     */
    static final String[] CRI_READS = {
        V1 + "Metrics cpu=3 usage=1 total=1:uint64",
        V1 + "Metrics memory=4 usage=33 limit=1:uint64",
        V1 + "Metrics memory=4 usage=33 usage=2:uint64",
        V1 + "Metrics memory=4 total_rss=19:uint64",
        V1 + "Metrics memory=4 total_pg_fault=26:uint64",
        V1 + "Metrics memory=4 total_pg_maj_fault=27:uint64",
        V1 + "Metrics memory=4 total_inactive_file=30:uint64",
        V2 + "Metrics cpu=2 usage_usec=1:uint64",
        V2 + "Metrics memory=4 anon=1:uint64",
        V2 + "Metrics memory=4 inactive_file=13:uint64",
        V2 + "Metrics memory=4 pgfault=18:uint64",
        V2 + "Metrics memory=4 pgmajfault=19:uint64",
        V2 + "Metrics memory=4 usage=32:uint64",
        V2 + "Metrics memory=4 usage_limit=33:uint64",
        V2 + "Metrics memory_events=8 oom_kill=5:uint64",
    };

    /** "name=N:uint64" for consecutive numbers from first, one per space-separated name. */
    static String uint64s(int first, String names) {
        String[] n = names.split(" ");
        return IntStream.range(0, n.length).mapToObj(i -> n[i] + "=" + (first + i) + ":uint64")
                .collect(Collectors.joining(" "));
    }

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
    void criReadsTheseNumbers() {
        for (String path : CRI_READS) {
            String[] steps = path.split(" ");
            Descriptor d = message(steps[0]);
            assertNotNull(d, steps[0]);
            FieldDescriptor f = null;
            for (int i = 1; i < steps.length; i++) {
                String step = steps[i].replaceFirst(":.*", "");
                if (f != null) {
                    d = f.getMessageType();
                }
                f = d.findFieldByName(step.substring(0, step.indexOf('=')));
                assertNotNull(f, path + ": " + step);
                assertEquals(step, f.getName() + "=" + f.getNumber(), path);
            }
            assertEquals(steps[steps.length - 1], describe(f), path);
        }
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
