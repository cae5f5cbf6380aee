using Grpc.Core;
using Grpc.Net.Client;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using B = Dapr.Client.Autogen.Grpc.v1;
using P = HpcK8s.Dapr.Protos;

namespace HpcK8s.Dapr.Workflows;

/// <summary>
/// Starts and manages workflow instances on the Dapr sidecar through <c>TaskHubSidecarService</c>, the API Dapr's own
/// workflow client uses, falling back per call to the Dapr API's <c>*WorkflowBeta1</c> calls where the sidecar lacks it.
/// </summary>
/// <remarks>
/// <para>On daprd, StartInstance returns once the first turn has run, and Terminate/Suspend/Resume wait for the status
/// change, so these calls hang while no worker is connected: pass a cancellation token with a deadline.</para>
/// <para>Payloads are serialized with <see cref="WorkflowJson"/>; a null payload is sent as an absent value.</para>
/// <para><b>Fallback.</b> TaskHub is always tried first. When a TaskHub RPC answers <see cref="StatusCode.Unimplemented"/>
/// (a sidecar without that RPC), the call is repeated with the matching Beta1 call, and this client uses Beta1 for that
/// operation from then on (per operation, for the client's lifetime; a sidecar upgraded underneath is noticed on the next
/// process start). Results map to the same <see cref="DaprWorkflowState"/>. What Beta1 cannot express:</para>
/// <list type="bullet">
/// <item>No Beta1 call waits: Start returns before the first turn has run, Suspend/Resume/Terminate before the status
/// changes, and the Wait methods poll Get (50 ms, doubling up to 1 s).</item>
/// <item>Terminate is always recursive and records no output: <c>recursive: false</c> or a non-null output throws
/// <see cref="NotSupportedException"/>.</item>
/// <item>Purge is always recursive and has no <c>force</c>: <c>recursive: false</c> or <c>force: true</c> throws
/// <see cref="NotSupportedException"/>. It reports no deleted count, so the result is false only when the instance was
/// not found.</item>
/// <item>Suspend/Resume carry no reason; the reason is dropped (it only annotates the history).</item>
/// <item>Get reports a failure as type, message and stack trace only: no inner failure, no non-retriable flag; a failed
/// instance has no output. STALLED comes back as <c>UNKNOWN</c> and reads as <see cref="OrchestrationStatus.Stalled"/>.</item>
/// <item>A scheduled start is sent as <c>options["dapr.workflow.start_time"]</c> (RFC 3339, UTC).</item>
/// <item>Errors carry daprd's <c>ERR_*</c> messages with its own status codes (mostly <see cref="StatusCode.Internal"/>),
/// not TaskHub's (e.g. no <see cref="StatusCode.AlreadyExists"/> for a running instance id).</item>
/// </list>
/// </remarks>
public sealed class DaprWorkflowClient : IDisposable
{
    private static readonly TimeSpan MinPollDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan DefaultMaxPollDelay = TimeSpan.FromSeconds(1);

    private readonly GrpcChannel? _channel;
    private readonly P.TaskHubSidecarService.TaskHubSidecarServiceClient _client;
    private readonly B.Dapr.DaprClient _beta1;
    private readonly ILogger _logger;
    private readonly TimeSpan _maxPollDelay;
    private int _taskHubUnavailable; // TaskHubRpcs the sidecar answered Unimplemented

    /// <summary>Creates a client for the sidecar the options name (by default from the Dapr environment variables).</summary>
    /// <param name="options">Endpoint, token and message limits; only those settings are used.</param>
    /// <param name="logger">Logs the switch to a Beta1 fallback; null for none.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the keys to fix.</exception>
    public DaprWorkflowClient(DaprWorkflowOptions? options = null, ILogger<DaprWorkflowClient>? logger = null)
        : this(Connect(options ?? new DaprWorkflowOptions()), logger, DefaultMaxPollDelay)
    {
    }

    /// <summary>Creates a client over an existing invoker (tests: to observe or intercept the calls).</summary>
    /// <param name="invoker">The invoker; the caller owns its channel.</param>
    /// <param name="logger">Logs the switch to a Beta1 fallback; null for none.</param>
    /// <param name="maxPollDelay">The longest delay between two polls of a Beta1 wait.</param>
    internal DaprWorkflowClient(CallInvoker invoker, ILogger? logger = null, TimeSpan? maxPollDelay = null)
        : this((null, invoker), logger, maxPollDelay ?? DefaultMaxPollDelay)
    {
    }

    private DaprWorkflowClient((GrpcChannel? Channel, CallInvoker Invoker) connection, ILogger? logger, TimeSpan maxPollDelay)
    {
        _channel = connection.Channel;
        _client = new P.TaskHubSidecarService.TaskHubSidecarServiceClient(connection.Invoker);
        _beta1 = new B.Dapr.DaprClient(connection.Invoker);
        _logger = logger ?? NullLogger.Instance;
        _maxPollDelay = maxPollDelay < MinPollDelay ? MinPollDelay : maxPollDelay;
    }

    /// <summary>Starts a workflow instance.</summary>
    /// <param name="name">The registered workflow name.</param>
    /// <param name="instanceId">The instance id (1-64 characters of <c>[A-Za-z0-9_-]</c>); null generates one.</param>
    /// <param name="input">The input, serialized as JSON; null for none.</param>
    /// <param name="startAt">When to start (UTC); null starts now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instance id.</returns>
    /// <exception cref="ArgumentException">The name is empty or the instance id is invalid.</exception>
    /// <exception cref="RpcException">The sidecar refused (e.g. <see cref="StatusCode.AlreadyExists"/> for a running instance).</exception>
    public async Task<string> ScheduleNewWorkflowAsync(string name, string? instanceId = null, object? input = null, DateTime? startAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        instanceId ??= Guid.NewGuid().ToString("N");
        WorkflowInstanceIds.Validate(instanceId);
        var inputJson = WorkflowJson.Serialize(input);
        return await CallAsync(
            TaskHubRpcs.StartInstance,
            async () =>
            {
                var request = new P.CreateInstanceRequest { InstanceId = instanceId, Name = name, Input = inputJson };
                if (startAt is { } at)
                {
                    request.ScheduledStartTimestamp = WorkflowProtoTranslator.ToTimestamp(at);
                }

                var response = await _client.StartInstanceAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
                return string.IsNullOrEmpty(response.InstanceId) ? instanceId : response.InstanceId;
            },
            async () =>
            {
                var response = await _beta1.StartWorkflowBeta1Async(
                    DaprWorkflowBeta1.ToStartRequest(name, instanceId, inputJson, startAt), cancellationToken: cancellationToken).ConfigureAwait(false);
                return string.IsNullOrEmpty(response.InstanceId) ? instanceId : response.InstanceId;
            }).ConfigureAwait(false);
    }

    /// <summary>Gets an instance's state, with its input, output, custom status and failure.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state, or null when no such instance exists.</returns>
    public async Task<DaprWorkflowState?> GetWorkflowStateAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return await CallAsync(
            TaskHubRpcs.GetInstance,
            async () => ToState(await _client.GetInstanceAsync(
                new P.GetInstanceRequest { InstanceId = instanceId, GetInputsAndOutputs = true }, cancellationToken: cancellationToken).ConfigureAwait(false)),
            async () => DaprWorkflowBeta1.ToState(await _beta1.GetWorkflowBeta1Async(
                new B.GetWorkflowRequest { InstanceId = instanceId, WorkflowComponent = DaprWorkflowBeta1.Component },
                cancellationToken: cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
    }

    /// <summary>Waits until the instance has started (or finished); retries the wait when the sidecar's deadline or connection drops.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The state, or null when no such instance exists.</returns>
    public Task<DaprWorkflowState?> WaitForWorkflowStartAsync(string instanceId, CancellationToken cancellationToken = default) =>
        WaitAsync(instanceId, start: true, cancellationToken);

    /// <summary>Waits until the instance completes, fails or is terminated; retries the wait when the sidecar's deadline or connection drops.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The final state, or null when no such instance exists.</returns>
    public Task<DaprWorkflowState?> WaitForWorkflowCompletionAsync(string instanceId, CancellationToken cancellationToken = default) =>
        WaitAsync(instanceId, start: false, cancellationToken);

    /// <summary>Raises an external event on an instance.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="eventName">The event name (matched case-insensitively by the workflow).</param>
    /// <param name="payload">The payload, serialized as JSON; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sidecar accepted the event.</returns>
    public async Task RaiseEventAsync(string instanceId, string eventName, object? payload = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var payloadJson = WorkflowJson.Serialize(payload);
        await CallAsync(
            TaskHubRpcs.RaiseEvent,
            async () => await _client.RaiseEventAsync(
                new P.RaiseEventRequest { InstanceId = instanceId, Name = eventName, Input = payloadJson },
                cancellationToken: cancellationToken).ConfigureAwait(false),
            async () => await _beta1.RaiseEventWorkflowBeta1Async(
                new B.RaiseEventWorkflowRequest
                {
                    InstanceId = instanceId,
                    WorkflowComponent = DaprWorkflowBeta1.Component,
                    EventName = eventName,
                    EventData = DaprWorkflowBeta1.ToBytes(payloadJson),
                },
                cancellationToken: cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Suspends an instance: it records events but runs no code until resumed.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="reason">Why, for the history; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sidecar accepted the request.</returns>
    public async Task SuspendWorkflowAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await CallAsync(
            TaskHubRpcs.SuspendInstance,
            async () => await _client.SuspendInstanceAsync(
                new P.SuspendRequest { InstanceId = instanceId, Reason = WorkflowJson.Serialize(reason) }, cancellationToken: cancellationToken).ConfigureAwait(false),
            async () => await _beta1.PauseWorkflowBeta1Async( // carries no reason: dropped, it only annotates the history
                new B.PauseWorkflowRequest { InstanceId = instanceId, WorkflowComponent = DaprWorkflowBeta1.Component },
                cancellationToken: cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Resumes a suspended instance.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="reason">Why, for the history; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sidecar accepted the request.</returns>
    public async Task ResumeWorkflowAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await CallAsync(
            TaskHubRpcs.ResumeInstance,
            async () => await _client.ResumeInstanceAsync(
                new P.ResumeRequest { InstanceId = instanceId, Reason = WorkflowJson.Serialize(reason) }, cancellationToken: cancellationToken).ConfigureAwait(false),
            async () => await _beta1.ResumeWorkflowBeta1Async( // carries no reason: dropped, it only annotates the history
                new B.ResumeWorkflowRequest { InstanceId = instanceId, WorkflowComponent = DaprWorkflowBeta1.Component },
                cancellationToken: cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Terminates an instance (and, by default, its child workflows).</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="output">The output to record, serialized as JSON; null for none.</param>
    /// <param name="recursive">Whether child workflows are terminated too.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sidecar accepted the request.</returns>
    /// <exception cref="NotSupportedException">The sidecar has only the Beta1 call, and <paramref name="recursive"/> is false or <paramref name="output"/> is set.</exception>
    public async Task TerminateWorkflowAsync(string instanceId, object? output = null, bool recursive = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var outputJson = WorkflowJson.Serialize(output);
        await CallAsync(
            TaskHubRpcs.TerminateInstance,
            async () => await _client.TerminateInstanceAsync(
                new P.TerminateRequest { InstanceId = instanceId, Output = outputJson, Recursive = recursive },
                cancellationToken: cancellationToken).ConfigureAwait(false),
            async () =>
            {
                if (!recursive || outputJson is not null)
                {
                    throw new NotSupportedException(
                        $"Cannot terminate workflow instance '{instanceId}' as asked: this Dapr sidecar lacks TaskHubSidecarService/TerminateInstance, and its TerminateWorkflowBeta1 always terminates child workflows and records no output. Pass recursive: true and output: null, or upgrade daprd.");
                }

                await _beta1.TerminateWorkflowBeta1Async(
                    new B.TerminateWorkflowRequest { InstanceId = instanceId, WorkflowComponent = DaprWorkflowBeta1.Component },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <summary>Deletes a finished instance's state and history (and, by default, its child workflows').</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="recursive">Whether child workflows are purged too.</param>
    /// <param name="force">Purge even if the instance is not finished (daprd 1.17+; leave false for older sidecars).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when an instance was deleted.</returns>
    /// <exception cref="NotSupportedException">The sidecar has only the Beta1 call, and <paramref name="recursive"/> is false or <paramref name="force"/> is true.</exception>
    public async Task<bool> PurgeWorkflowAsync(string instanceId, bool recursive = true, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return await CallAsync(
            TaskHubRpcs.PurgeInstances,
            async () =>
            {
                var request = new P.PurgeInstancesRequest { InstanceId = instanceId, Recursive = recursive };
                if (force)
                {
                    request.Force = true; // field 4: never set unless asked, Microsoft's lineage reads it as instanceBatch
                }

                var response = await _client.PurgeInstancesAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
                return response.DeletedInstanceCount > 0;
            },
            () => PurgeBeta1Async(instanceId, recursive, force, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose() => _channel?.Dispose();

    private async Task<DaprWorkflowState?> WaitAsync(string instanceId, bool start, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var rpc = start ? TaskHubRpcs.WaitForInstanceStart : TaskHubRpcs.WaitForInstanceCompletion;
        var request = new P.GetInstanceRequest { InstanceId = instanceId, GetInputsAndOutputs = true };
        while (!IsUnavailable(rpc))
        {
            try
            {
                var call = start
                    ? _client.WaitForInstanceStartAsync(request, cancellationToken: cancellationToken)
                    : _client.WaitForInstanceCompletionAsync(request, cancellationToken: cancellationToken);
                return ToState(await call.ConfigureAwait(false));
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                MarkUnavailable(rpc, ex);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable && !cancellationToken.IsCancellationRequested)
            {
                // The sidecar's own wait deadline or a dropped connection: wait again, as Dapr's client does.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }

        return await PollAsync(instanceId, start, cancellationToken).ConfigureAwait(false);
    }

    // Beta1 has no wait call: poll Get (itself TaskHub or Beta1) with a doubling delay.
    private async Task<DaprWorkflowState?> PollAsync(string instanceId, bool start, CancellationToken cancellationToken)
    {
        var delay = MinPollDelay;
        while (true)
        {
            var state = await GetWorkflowStateAsync(instanceId, cancellationToken).ConfigureAwait(false);
            if (state is null || (start ? state.Status != OrchestrationStatus.Pending : state.IsTerminal))
            {
                return state;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 < _maxPollDelay ? delay * 2 : _maxPollDelay;
        }
    }

    private async Task<bool> PurgeBeta1Async(string instanceId, bool recursive, bool force, CancellationToken cancellationToken)
    {
        if (!recursive || force)
        {
            throw new NotSupportedException(
                $"Cannot purge workflow instance '{instanceId}' as asked: this Dapr sidecar lacks TaskHubSidecarService/PurgeInstances, and its PurgeWorkflowBeta1 always purges child workflows and cannot force the purge of an unfinished instance. Pass recursive: true and force: false (terminate and wait first), or upgrade daprd.");
        }

        // Beta1 reports no deleted count and fails on a missing instance: look first, so "nothing deleted" stays false.
        if (await GetWorkflowStateAsync(instanceId, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        try
        {
            await _beta1.PurgeWorkflowBeta1Async(
                new B.PurgeWorkflowRequest { InstanceId = instanceId, WorkflowComponent = DaprWorkflowBeta1.Component },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return false; // purged by someone else since the look
        }
    }

    // TaskHub first; on Unimplemented (nothing ran on the sidecar) the same request goes to Beta1, and so do later ones.
    private async Task<T> CallAsync<T>(TaskHubRpcs rpc, Func<Task<T>> taskHub, Func<Task<T>> beta1)
    {
        if (!IsUnavailable(rpc))
        {
            try
            {
                return await taskHub().ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                MarkUnavailable(rpc, ex);
            }
        }

        return await beta1().ConfigureAwait(false);
    }

    private async Task CallAsync(TaskHubRpcs rpc, Func<Task> taskHub, Func<Task> beta1)
    {
        if (!IsUnavailable(rpc))
        {
            try
            {
                await taskHub().ConfigureAwait(false);
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                MarkUnavailable(rpc, ex);
            }
        }

        await beta1().ConfigureAwait(false);
    }

    private bool IsUnavailable(TaskHubRpcs rpc) => (Volatile.Read(ref _taskHubUnavailable) & (int)rpc) != 0;

    private void MarkUnavailable(TaskHubRpcs rpc, RpcException ex)
    {
        var before = Interlocked.Or(ref _taskHubUnavailable, (int)rpc);
        if ((before & (int)rpc) == 0)
        {
            DaprWorkflowLog.TaskHubRpcUnimplemented(_logger, rpc.ToString(), ex.Status.Detail, Beta1Fallback(rpc));
        }
    }

    private static string Beta1Fallback(TaskHubRpcs rpc) => rpc switch
    {
        TaskHubRpcs.StartInstance => "StartWorkflowBeta1",
        TaskHubRpcs.GetInstance => "GetWorkflowBeta1",
        TaskHubRpcs.WaitForInstanceStart or TaskHubRpcs.WaitForInstanceCompletion => "polling of the instance state",
        TaskHubRpcs.RaiseEvent => "RaiseEventWorkflowBeta1",
        TaskHubRpcs.SuspendInstance => "PauseWorkflowBeta1",
        TaskHubRpcs.ResumeInstance => "ResumeWorkflowBeta1",
        TaskHubRpcs.TerminateInstance => "TerminateWorkflowBeta1",
        TaskHubRpcs.PurgeInstances => "PurgeWorkflowBeta1",
        _ => rpc.ToString(),
    };

    private static (GrpcChannel? Channel, CallInvoker Invoker) Connect(DaprWorkflowOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid Dapr workflow options: " + string.Join(" ", errors));
        }

        return DaprGrpcChannel.Create(options);
    }

    private static DaprWorkflowState? ToState(P.GetInstanceResponse response)
    {
        if (!response.Exists || response.WorkflowState is null)
        {
            return null;
        }

        var s = response.WorkflowState;
        return new DaprWorkflowState(
            s.InstanceId,
            s.Name,
            (OrchestrationStatus)(int)s.WorkflowStatus,
            WorkflowProtoTranslator.ToDateTime(s.CreatedTimestamp),
            WorkflowProtoTranslator.ToDateTime(s.LastUpdatedTimestamp),
            WorkflowProtoTranslator.Payload(s.Input),
            WorkflowProtoTranslator.Payload(s.Output),
            WorkflowProtoTranslator.Payload(s.CustomStatus),
            WorkflowProtoTranslator.ToFailure(s.FailureDetails));
    }

    // The TaskHub RPCs this sidecar answered Unimplemented; each falls back on its own.
    [Flags]
    private enum TaskHubRpcs
    {
        None = 0,
        StartInstance = 1 << 0,
        GetInstance = 1 << 1,
        WaitForInstanceStart = 1 << 2,
        WaitForInstanceCompletion = 1 << 3,
        RaiseEvent = 1 << 4,
        SuspendInstance = 1 << 5,
        ResumeInstance = 1 << 6,
        TerminateInstance = 1 << 7,
        PurgeInstances = 1 << 8,
    }
}
