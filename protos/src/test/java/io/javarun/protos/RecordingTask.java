package io.javarun.protos;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.javarun.protos.task.CheckpointTaskRequest;
import io.javarun.protos.task.CloseIORequest;
import io.javarun.protos.task.ConnectRequest;
import io.javarun.protos.task.ConnectResponse;
import io.javarun.protos.task.CreateTaskRequest;
import io.javarun.protos.task.CreateTaskResponse;
import io.javarun.protos.task.DeleteRequest;
import io.javarun.protos.task.DeleteResponse;
import io.javarun.protos.task.ExecProcessRequest;
import io.javarun.protos.task.KillRequest;
import io.javarun.protos.task.PauseRequest;
import io.javarun.protos.task.PidsRequest;
import io.javarun.protos.task.PidsResponse;
import io.javarun.protos.task.ResizePtyRequest;
import io.javarun.protos.task.ResumeRequest;
import io.javarun.protos.task.ShutdownRequest;
import io.javarun.protos.task.StartRequest;
import io.javarun.protos.task.StartResponse;
import io.javarun.protos.task.StateRequest;
import io.javarun.protos.task.StateResponse;
import io.javarun.protos.task.StatsRequest;
import io.javarun.protos.task.StatsResponse;
import io.javarun.protos.task.TaskService;
import io.javarun.protos.task.UpdateTaskRequest;
import io.javarun.protos.task.WaitRequest;
import io.javarun.protos.task.WaitResponse;
import io.javarun.ttrpc.CallContext;
import io.javarun.ttrpc.TtrpcException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TaskService written the way the shim writes one (so the generated signatures are checked by
 * the compiler): every call is recorded; Connect answers with the request's id as its version,
 * Kill finds nothing and Checkpoint is not implemented, to show that codes reach the caller.
 */
final class RecordingTask implements TaskService {
    /** One call as the implementation saw it. */
    record Call(String service, String method, Message request, String namespace) {}

    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

    private <T extends Message> T seen(CallContext ctx, Message request, T reply) {
        calls.add(new Call(ctx.service(), ctx.method(), request, ctx.namespace()));
        return reply;
    }

    @Override
    public StateResponse state(CallContext ctx, StateRequest req) {
        return seen(ctx, req, StateResponse.newBuilder().setId(req.getId()).build());
    }

    @Override
    public CreateTaskResponse create(CallContext ctx, CreateTaskRequest req) {
        return seen(ctx, req, CreateTaskResponse.getDefaultInstance());
    }

    @Override
    public StartResponse start(CallContext ctx, StartRequest req) {
        return seen(ctx, req, StartResponse.getDefaultInstance());
    }

    @Override
    public DeleteResponse delete(CallContext ctx, DeleteRequest req) {
        return seen(ctx, req, DeleteResponse.getDefaultInstance());
    }

    @Override
    public PidsResponse pids(CallContext ctx, PidsRequest req) {
        return seen(ctx, req, PidsResponse.getDefaultInstance());
    }

    @Override
    public Empty pause(CallContext ctx, PauseRequest req) {
        return seen(ctx, req, Empty.getDefaultInstance());
    }

    @Override
    public Empty resume(CallContext ctx, ResumeRequest req) {
        return seen(ctx, req, Empty.getDefaultInstance());
    }

    @Override
    public Empty checkpoint(CallContext ctx, CheckpointTaskRequest req) throws TtrpcException {
        seen(ctx, req, Empty.getDefaultInstance());
        throw TtrpcException.notImplemented("checkpoint");
    }

    @Override
    public Empty kill(CallContext ctx, KillRequest req) throws TtrpcException {
        seen(ctx, req, Empty.getDefaultInstance());
        throw TtrpcException.notFound("process " + req.getExecId());
    }

    @Override
    public Empty exec(CallContext ctx, ExecProcessRequest req) {
        return seen(ctx, req, Empty.getDefaultInstance());
    }

    @Override
    public Empty resizePty(CallContext ctx, ResizePtyRequest req) {
        return seen(ctx, req, Empty.getDefaultInstance());
    }

    @Override
    public Empty closeIO(CallContext ctx, CloseIORequest req) {
        return seen(ctx, req, Empty.getDefaultInstance());
    }

    @Override
    public Empty update(CallContext ctx, UpdateTaskRequest req) {
        return seen(ctx, req, Empty.getDefaultInstance());
    }

    @Override
    public WaitResponse wait(CallContext ctx, WaitRequest req) {
        return seen(ctx, req, WaitResponse.getDefaultInstance());
    }

    @Override
    public StatsResponse stats(CallContext ctx, StatsRequest req) {
        return seen(ctx, req, StatsResponse.getDefaultInstance());
    }

    @Override
    public ConnectResponse connect(CallContext ctx, ConnectRequest req) {
        return seen(ctx, req, ConnectResponse.newBuilder().setShimPid(1234).setVersion(req.getId()).build());
    }

    @Override
    public Empty shutdown(CallContext ctx, ShutdownRequest req) {
        return seen(ctx, req, Empty.getDefaultInstance());
    }
}
