using Grpc.Core;
using Grpc.Net.Client;
using HpcK8s.Workflows.History;
using P = HpcK8s.Dapr.Protos;

namespace HpcK8s.Dapr.Workflows;

/// <summary>
/// Starts and manages workflow instances on the Dapr sidecar through <c>TaskHubSidecarService</c>, the API Dapr's own
/// workflow client uses.
/// </summary>
/// <remarks>
/// <para>On daprd, StartInstance returns once the first turn has run, and Terminate/Suspend/Resume wait for the status
/// change, so these calls hang while no worker is connected: pass a cancellation token with a deadline.</para>
/// <para>Payloads are serialized with <see cref="WorkflowJson"/>; a null payload is sent as an absent value.</para>
/// </remarks>
public sealed class DaprWorkflowClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly P.TaskHubSidecarService.TaskHubSidecarServiceClient _client;

    /// <summary>Creates a client for the sidecar the options name (by default from the Dapr environment variables).</summary>
    /// <param name="options">Endpoint, token and message limits; only those settings are used.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the keys to fix.</exception>
    public DaprWorkflowClient(DaprWorkflowOptions? options = null)
    {
        options ??= new DaprWorkflowOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid Dapr workflow options: " + string.Join(" ", errors));
        }

        (_channel, var invoker) = DaprGrpcChannel.Create(options);
        _client = new P.TaskHubSidecarService.TaskHubSidecarServiceClient(invoker);
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
        var request = new P.CreateInstanceRequest { InstanceId = instanceId, Name = name, Input = WorkflowJson.Serialize(input) };
        if (startAt is { } at)
        {
            request.ScheduledStartTimestamp = WorkflowProtoTranslator.ToTimestamp(at);
        }

        var response = await _client.StartInstanceAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(response.InstanceId) ? instanceId : response.InstanceId;
    }

    /// <summary>Gets an instance's state, with its input, output, custom status and failure.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state, or null when no such instance exists.</returns>
    public async Task<DaprWorkflowState?> GetWorkflowStateAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var response = await _client.GetInstanceAsync(
            new P.GetInstanceRequest { InstanceId = instanceId, GetInputsAndOutputs = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ToState(response);
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
        await _client.RaiseEventAsync(
            new P.RaiseEventRequest { InstanceId = instanceId, Name = eventName, Input = WorkflowJson.Serialize(payload) },
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Suspends an instance: it records events but runs no code until resumed.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="reason">Why, for the history; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sidecar accepted the request.</returns>
    public async Task SuspendWorkflowAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await _client.SuspendInstanceAsync(
            new P.SuspendRequest { InstanceId = instanceId, Reason = WorkflowJson.Serialize(reason) }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resumes a suspended instance.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="reason">Why, for the history; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sidecar accepted the request.</returns>
    public async Task ResumeWorkflowAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await _client.ResumeInstanceAsync(
            new P.ResumeRequest { InstanceId = instanceId, Reason = WorkflowJson.Serialize(reason) }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Terminates an instance (and, by default, its child workflows).</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="output">The output to record, serialized as JSON; null for none.</param>
    /// <param name="recursive">Whether child workflows are terminated too.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sidecar accepted the request.</returns>
    public async Task TerminateWorkflowAsync(string instanceId, object? output = null, bool recursive = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await _client.TerminateInstanceAsync(
            new P.TerminateRequest { InstanceId = instanceId, Output = WorkflowJson.Serialize(output), Recursive = recursive },
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a finished instance's state and history (and, by default, its child workflows').</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="recursive">Whether child workflows are purged too.</param>
    /// <param name="force">Purge even if the instance is not finished (daprd 1.17+; leave false for older sidecars).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when an instance was deleted.</returns>
    public async Task<bool> PurgeWorkflowAsync(string instanceId, bool recursive = true, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var request = new P.PurgeInstancesRequest { InstanceId = instanceId, Recursive = recursive };
        if (force)
        {
            request.Force = true; // field 4: never set unless asked, Microsoft's lineage reads it as instanceBatch
        }

        var response = await _client.PurgeInstancesAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.DeletedInstanceCount > 0;
    }

    /// <inheritdoc/>
    public void Dispose() => _channel.Dispose();

    private async Task<DaprWorkflowState?> WaitAsync(string instanceId, bool start, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var request = new P.GetInstanceRequest { InstanceId = instanceId, GetInputsAndOutputs = true };
        while (true)
        {
            try
            {
                var call = start
                    ? _client.WaitForInstanceStartAsync(request, cancellationToken: cancellationToken)
                    : _client.WaitForInstanceCompletionAsync(request, cancellationToken: cancellationToken);
                return ToState(await call.ConfigureAwait(false));
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable && !cancellationToken.IsCancellationRequested)
            {
                // The sidecar's own wait deadline or a dropped connection: wait again, as Dapr's client does.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
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
}
