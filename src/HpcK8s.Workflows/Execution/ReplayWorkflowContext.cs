using HpcK8s.Workflows.Authoring;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Workflows.Execution;

/// <summary>The <see cref="WorkflowContext"/> the replay executor hands to workflow code.</summary>
internal sealed class ReplayWorkflowContext(WorkflowTurn turn) : WorkflowContext
{
    public override string Name => turn.Name;

    public override string InstanceId => turn.InstanceId;

    public override DateTime CurrentUtcDateTime => turn.CurrentUtcDateTime;

    public override bool IsReplaying => turn.IsReplaying;

    public override Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, WorkflowTaskOptions? options = null) =>
        turn.CallActivityAsync<TResult>(name, input, options);

    public override Task<TResult> CallChildWorkflowAsync<TResult>(string workflowName, object? input = null, ChildWorkflowTaskOptions? options = null) =>
        turn.CallChildWorkflowAsync<TResult>(workflowName, input, options);

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken = default) =>
        turn.CreateTimer(fireAt, cancellationToken);

    public override Task<T> WaitForExternalEventAsync<T>(string eventName, CancellationToken cancellationToken = default) =>
        turn.WaitForExternalEventAsync<T>(eventName, cancellationToken);

    public override Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan timeout) =>
        turn.WaitForExternalEventAsync<T>(eventName, timeout);

    public override void SendEvent(string instanceId, string eventName, object? payload = null) =>
        turn.SendEvent(instanceId, eventName, payload);

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        turn.ContinueAsNew(newInput, preserveUnprocessedEvents);

    public override void SetCustomStatus(object? customStatus) => turn.SetCustomStatus(customStatus);

    public override Guid NewGuid() => turn.NewGuid();

    public override ILogger CreateReplaySafeLogger(string categoryName) => turn.CreateReplaySafeLogger(categoryName);

    public override ILogger CreateReplaySafeLogger(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return turn.CreateReplaySafeLogger(logger);
    }
}
