using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HpcK8s.Workflows.History;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using B = Dapr.Client.Autogen.Grpc.v1;

namespace HpcK8s.Dapr.Tests.Workflows;

/// <summary>
/// A sidecar like a daprd that predates <c>TaskHubSidecarService</c>: every TaskHub RPC answers Unimplemented (no such
/// service is mapped, so Grpc.AspNetCore answers as any gRPC server does), and the Dapr API's <c>*WorkflowBeta1</c>
/// calls behave as daprd's <c>pkg/api/universal/workflow.go</c> does, over in-memory instances. Real Kestrel, HTTP/2
/// without TLS on 127.0.0.1. No worker runs: tests move instances along with <see cref="Run"/>, <see cref="Complete"/>,
/// <see cref="Fail"/>, ….
/// </summary>
internal sealed class Beta1OnlySidecar : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Beta1OnlySidecar(WebApplication app, Beta1WorkflowService service)
    {
        _app = app;
        Service = service;
    }

    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>The paths of the TaskHubSidecarService calls received (all answered Unimplemented).</summary>
    public ConcurrentQueue<string> TaskHubCalls { get; } = new();

    /// <summary>The <c>dapr-api-token</c> header of every Beta1 call ("" when absent).</summary>
    public ConcurrentQueue<string> Beta1ApiTokens { get; } = new();

    internal Beta1WorkflowService Service { get; }

    /// <summary>The Beta1 calls received, by method name.</summary>
    public ConcurrentQueue<string> Beta1Calls => Service.Calls;

    public static async Task<Beta1OnlySidecar> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(o => o.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        var service = new Beta1WorkflowService();
        builder.Services.AddSingleton(service);
        builder.Services.AddGrpc();
        var app = builder.Build();
        var sidecar = new Beta1OnlySidecar(app, service);
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            if (context.Request.Path.StartsWithSegments("/TaskHubSidecarService", StringComparison.Ordinal))
            {
                sidecar.TaskHubCalls.Enqueue(context.Request.Path.Value!);
            }
            else if (context.Request.Path.StartsWithSegments("/dapr.proto.runtime.v1.Dapr", StringComparison.Ordinal))
            {
                sidecar.Beta1ApiTokens.Enqueue(context.Request.Headers["dapr-api-token"].ToString());
            }

            await next(context);
        });
        app.MapGrpcService<Beta1WorkflowService>();
        await app.StartAsync();
        sidecar.Endpoint = app.Urls.Single();
        return sidecar;
    }

    public int TaskHubCallsTo(string rpc) => TaskHubCalls.Count(p => p == "/TaskHubSidecarService/" + rpc);

    public FakeInstance Instance(string id) => Service.Instances.TryGetValue(id, out var instance)
        ? instance
        : throw new InvalidOperationException($"no instance {id}");

    public bool Exists(string id) => Service.Instances.ContainsKey(id);

    /// <summary>The first turn ran (as a worker would): PENDING → RUNNING.</summary>
    public void Run(string id, string? customStatus = null) => Instance(id).Update(i =>
    {
        i.Status = OrchestrationStatus.Running;
        i.CustomStatus = customStatus ?? i.CustomStatus;
    });

    public void Complete(string id, string? output) => Instance(id).Update(i =>
    {
        i.Status = OrchestrationStatus.Completed;
        i.Output = output;
    });

    /// <summary>Fails the instance; like durabletask-go, the failure message is also stored as the output.</summary>
    public void Fail(string id, string type, string message, string? stackTrace) => Instance(id).Update(i =>
    {
        i.Status = OrchestrationStatus.Failed;
        i.Output = message;
        i.Failure = (type, message, stackTrace);
    });

    public void Stall(string id) => Instance(id).Update(i => i.Status = OrchestrationStatus.Stalled);

    /// <summary>Adds a running child workflow (as a CreateChildWorkflow action would).</summary>
    public void AddChild(string parentId, string childId, string name)
    {
        var parent = Instance(parentId);
        Service.Instances[childId] = new FakeInstance(childId, name, input: null, startAt: null) { Status = OrchestrationStatus.Running, ParentId = parentId };
        parent.Update(p => p.Children.Add(childId));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One in-memory workflow instance of <see cref="Beta1OnlySidecar"/>.</summary>
internal sealed class FakeInstance(string id, string name, string? input, DateTime? startAt)
{
    private readonly Lock _lock = new();

    public string Id { get; } = id;

    public string Name { get; } = name;

    public string? Input { get; } = input;

    public DateTime? StartAt { get; } = startAt;

    public DateTime CreatedAt { get; } = DateTime.UtcNow;

    public DateTime LastUpdatedAt { get; private set; } = DateTime.UtcNow;

    public OrchestrationStatus Status { get; set; } = OrchestrationStatus.Pending;

    public string? Output { get; set; }

    public string? CustomStatus { get; set; }

    public (string Type, string Message, string? StackTrace)? Failure { get; set; }

    public string? ParentId { get; init; }

    public List<string> Children { get; } = [];

    public List<(string Name, string? Data)> Events { get; } = [];

    public bool IsTerminal => Status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

    public void Update(Action<FakeInstance> change)
    {
        lock (_lock)
        {
            change(this);
            LastUpdatedAt = DateTime.UtcNow;
        }
    }

    public T Read<T>(Func<FakeInstance, T> read)
    {
        lock (_lock)
        {
            return read(this);
        }
    }
}

/// <summary>
/// The server side of the Dapr API's Beta1 workflow calls. Dapr.Protos ships only the client of
/// <c>dapr.proto.runtime.v1.Dapr</c>, so the methods are bound here from the generated messages' parsers, the way
/// generated server code does: Grpc.AspNetCore looks each handler up as an override of the virtual method declared
/// next to <see cref="BindService"/>.
/// </summary>
internal abstract class Beta1WorkflowServiceBase
{
    private const string ServiceName = "dapr.proto.runtime.v1.Dapr";

    private static readonly Method<B.StartWorkflowRequest, B.StartWorkflowResponse> Start = Unary("StartWorkflowBeta1", B.StartWorkflowRequest.Parser, B.StartWorkflowResponse.Parser);
    private static readonly Method<B.GetWorkflowRequest, B.GetWorkflowResponse> Get = Unary("GetWorkflowBeta1", B.GetWorkflowRequest.Parser, B.GetWorkflowResponse.Parser);
    private static readonly Method<B.RaiseEventWorkflowRequest, Empty> Raise = Unary("RaiseEventWorkflowBeta1", B.RaiseEventWorkflowRequest.Parser, Empty.Parser);
    private static readonly Method<B.PauseWorkflowRequest, Empty> Pause = Unary("PauseWorkflowBeta1", B.PauseWorkflowRequest.Parser, Empty.Parser);
    private static readonly Method<B.ResumeWorkflowRequest, Empty> Resume = Unary("ResumeWorkflowBeta1", B.ResumeWorkflowRequest.Parser, Empty.Parser);
    private static readonly Method<B.TerminateWorkflowRequest, Empty> Terminate = Unary("TerminateWorkflowBeta1", B.TerminateWorkflowRequest.Parser, Empty.Parser);
    private static readonly Method<B.PurgeWorkflowRequest, Empty> Purge = Unary("PurgeWorkflowBeta1", B.PurgeWorkflowRequest.Parser, Empty.Parser);

    public static void BindService(ServiceBinderBase binder, Beta1WorkflowServiceBase? service)
    {
        binder.AddMethod(Start, service is null ? null : service.StartWorkflowBeta1);
        binder.AddMethod(Get, service is null ? null : service.GetWorkflowBeta1);
        binder.AddMethod(Raise, service is null ? null : service.RaiseEventWorkflowBeta1);
        binder.AddMethod(Pause, service is null ? null : service.PauseWorkflowBeta1);
        binder.AddMethod(Resume, service is null ? null : service.ResumeWorkflowBeta1);
        binder.AddMethod(Terminate, service is null ? null : service.TerminateWorkflowBeta1);
        binder.AddMethod(Purge, service is null ? null : service.PurgeWorkflowBeta1);
    }

    public abstract Task<B.StartWorkflowResponse> StartWorkflowBeta1(B.StartWorkflowRequest request, ServerCallContext context);

    public abstract Task<B.GetWorkflowResponse> GetWorkflowBeta1(B.GetWorkflowRequest request, ServerCallContext context);

    public abstract Task<Empty> RaiseEventWorkflowBeta1(B.RaiseEventWorkflowRequest request, ServerCallContext context);

    public abstract Task<Empty> PauseWorkflowBeta1(B.PauseWorkflowRequest request, ServerCallContext context);

    public abstract Task<Empty> ResumeWorkflowBeta1(B.ResumeWorkflowRequest request, ServerCallContext context);

    public abstract Task<Empty> TerminateWorkflowBeta1(B.TerminateWorkflowRequest request, ServerCallContext context);

    public abstract Task<Empty> PurgeWorkflowBeta1(B.PurgeWorkflowRequest request, ServerCallContext context);

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name, MessageParser<TRequest> requestParser, MessageParser<TResponse> responseParser)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, ServiceName, name,
            Marshallers.Create(m => m.ToByteArray(), requestParser.ParseFrom),
            Marshallers.Create(m => m.ToByteArray(), responseParser.ParseFrom));
}

/// <summary>The Beta1 calls of <see cref="Beta1OnlySidecar"/>, as daprd answers them, over in-memory instances.</summary>
[BindServiceMethod(typeof(Beta1WorkflowServiceBase), nameof(BindService))]
internal sealed class Beta1WorkflowService : Beta1WorkflowServiceBase
{
    // daprd's statusMap (pkg/api/universal/workflow.go): anything else, e.g. STALLED (8), is "UNKNOWN".
    private static readonly Dictionary<OrchestrationStatus, string> StatusNames = new()
    {
        [OrchestrationStatus.Running] = "RUNNING",
        [OrchestrationStatus.Completed] = "COMPLETED",
        [OrchestrationStatus.ContinuedAsNew] = "CONTINUED_AS_NEW",
        [OrchestrationStatus.Failed] = "FAILED",
        [OrchestrationStatus.Canceled] = "CANCELED",
        [OrchestrationStatus.Terminated] = "TERMINATED",
        [OrchestrationStatus.Pending] = "PENDING",
        [OrchestrationStatus.Suspended] = "SUSPENDED",
    };


    public ConcurrentDictionary<string, FakeInstance> Instances { get; } = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The start options of every Start call, by instance id.</summary>
    public ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> StartOptions { get; } = new();

    public override Task<B.StartWorkflowResponse> StartWorkflowBeta1(B.StartWorkflowRequest request, ServerCallContext context)
    {
        Record(nameof(StartWorkflowBeta1), request.WorkflowComponent);
        var id = string.IsNullOrEmpty(request.InstanceId) ? Guid.NewGuid().ToString() : request.InstanceId;
        if (id.Length > 64 || id.Any(c => !char.IsLetterOrDigit(c) && c != '_' && c != '-'))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"workflow instance ID '{id}' is invalid"));
        }

        if (string.IsNullOrEmpty(request.WorkflowName))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "workflow name is not configured"));
        }

        DateTime? startAt = null;
        if (request.Options.TryGetValue("dapr.workflow.start_time", out var startTime))
        {
            if (!DateTimeOffset.TryParseExact(startTime, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                throw new RpcException(new Status(StatusCode.Internal, $"error starting workflow '{request.WorkflowName}': start times must be in RFC3339 format"));
            }

            startAt = parsed.UtcDateTime;
        }

        // daprd wraps the raw bytes as a string value, so "no input" is stored as "".
        var instance = new FakeInstance(id, request.WorkflowName, request.Input.ToStringUtf8(), startAt);
        var added = Instances.AddOrUpdate(id, instance, (_, existing) => existing.Read(e => e.IsTerminal)
            ? instance
            : throw new RpcException(new Status(StatusCode.Internal, $"error starting workflow '{request.WorkflowName}': an active workflow with ID '{id}' already exists")));
        StartOptions[id] = request.Options.ToDictionary();
        return Task.FromResult(new B.StartWorkflowResponse { InstanceId = added.Id });
    }

    public override Task<B.GetWorkflowResponse> GetWorkflowBeta1(B.GetWorkflowRequest request, ServerCallContext context)
    {
        Record(nameof(GetWorkflowBeta1), request.WorkflowComponent);
        if (!Instances.TryGetValue(request.InstanceId, out var instance))
        {
            return Task.FromResult(new B.GetWorkflowResponse { InstanceId = request.InstanceId }); // not found: no error
        }

        return Task.FromResult(instance.Read(i =>
        {
            var response = new B.GetWorkflowResponse
            {
                InstanceId = request.InstanceId,
                WorkflowName = i.Name,
                CreatedAt = Timestamp.FromDateTime(i.CreatedAt),
                LastUpdatedAt = Timestamp.FromDateTime(i.LastUpdatedAt),
                RuntimeStatus = StatusNames.GetValueOrDefault(i.Status, "UNKNOWN"),
            };
            if (i.CustomStatus is not null)
            {
                response.Properties["dapr.workflow.custom_status"] = i.CustomStatus;
            }

            if (i.Input is not null)
            {
                response.Properties["dapr.workflow.input"] = i.Input;
            }

            if (i.Output is not null && i.Failure is null)
            {
                response.Properties["dapr.workflow.output"] = i.Output;
            }

            if (i.Failure is { } failure)
            {
                response.Properties["dapr.workflow.failure.error_type"] = failure.Type;
                response.Properties["dapr.workflow.failure.error_message"] = failure.Message;
                if (failure.StackTrace is not null)
                {
                    response.Properties["dapr.workflow.failure.stack_trace"] = failure.StackTrace;
                }
            }

            return response;
        }));
    }

    public override Task<Empty> RaiseEventWorkflowBeta1(B.RaiseEventWorkflowRequest request, ServerCallContext context)
    {
        Record(nameof(RaiseEventWorkflowBeta1), request.WorkflowComponent);
        if (string.IsNullOrEmpty(request.EventName))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "missing workflow event name"));
        }

        var instance = Find(request.InstanceId, "raise event on", StatusCode.Internal);
        instance.Update(i => i.Events.Add((request.EventName, request.EventData.IsEmpty ? null : request.EventData.ToStringUtf8())));
        return Task.FromResult(new Empty());
    }

    public override Task<Empty> PauseWorkflowBeta1(B.PauseWorkflowRequest request, ServerCallContext context)
    {
        Record(nameof(PauseWorkflowBeta1), request.WorkflowComponent);
        var instance = Find(request.InstanceId, "pause", StatusCode.Internal);
        instance.Update(i =>
        {
            if (i.IsTerminal)
            {
                throw new RpcException(new Status(StatusCode.Internal, $"error pausing workflow {i.Id}: the workflow has already finished"));
            }

            i.Status = OrchestrationStatus.Suspended;
        });
        return Task.FromResult(new Empty());
    }

    public override Task<Empty> ResumeWorkflowBeta1(B.ResumeWorkflowRequest request, ServerCallContext context)
    {
        Record(nameof(ResumeWorkflowBeta1), request.WorkflowComponent);
        var instance = Find(request.InstanceId, "resume", StatusCode.Internal);
        instance.Update(i =>
        {
            if (i.Status == OrchestrationStatus.Suspended)
            {
                i.Status = OrchestrationStatus.Running;
            }
        });
        return Task.FromResult(new Empty());
    }

    public override Task<Empty> TerminateWorkflowBeta1(B.TerminateWorkflowRequest request, ServerCallContext context)
    {
        Record(nameof(TerminateWorkflowBeta1), request.WorkflowComponent);
        TerminateRecursively(Find(request.InstanceId, "terminate", StatusCode.NotFound)); // daprd: always recursive
        return Task.FromResult(new Empty());
    }

    public override Task<Empty> PurgeWorkflowBeta1(B.PurgeWorkflowRequest request, ServerCallContext context)
    {
        Record(nameof(PurgeWorkflowBeta1), request.WorkflowComponent);
        var instance = Find(request.InstanceId, "purge", StatusCode.NotFound);
        if (!instance.Read(i => i.IsTerminal))
        {
            throw new RpcException(new Status(StatusCode.Internal, $"error purging workflow: failed to Purge workflow {instance.Id}: workflow is not in a completed state"));
        }

        PurgeRecursively(instance); // daprd: always recursive
        return Task.FromResult(new Empty());
    }

    private void Record(string method, string component)
    {
        Calls.Enqueue(method);
        if (component != "dapr")
        {
            // daprd up to 1.14 requires the component name; this client must always send it.
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"workflow component '{component}' is not valid"));
        }
    }

    private FakeInstance Find(string id, string verb, StatusCode notFound) =>
        string.IsNullOrEmpty(id)
            ? throw new RpcException(new Status(StatusCode.InvalidArgument, "no instance ID was provided"))
            : Instances.TryGetValue(id, out var instance)
                ? instance
                : throw new RpcException(new Status(notFound, $"unable to {verb} workflow: no such instance {id}"));

    private void TerminateRecursively(FakeInstance instance)
    {
        var children = instance.Read(i => i.Children.ToList());
        instance.Update(i =>
        {
            if (!i.IsTerminal)
            {
                i.Status = OrchestrationStatus.Terminated;
            }
        });
        foreach (var child in children)
        {
            if (Instances.TryGetValue(child, out var c))
            {
                TerminateRecursively(c);
            }
        }
    }

    private void PurgeRecursively(FakeInstance instance)
    {
        foreach (var child in instance.Read(i => i.Children.ToList()))
        {
            if (Instances.TryGetValue(child, out var c))
            {
                PurgeRecursively(c);
            }
        }

        Instances.TryRemove(instance.Id, out _);
    }
}
