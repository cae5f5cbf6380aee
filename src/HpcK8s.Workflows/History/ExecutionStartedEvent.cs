namespace HpcK8s.Workflows.History;

/// <summary>The instance started: the first event of every execution (after its <see cref="WorkflowStartedEvent"/>).</summary>
/// <remarks>Protocol: <c>HistoryEvent.executionStarted 3</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="Name">The workflow's registered name.</param>
/// <param name="InstanceId">The instance id.</param>
/// <param name="ExecutionId">The execution id (new for every continue-as-new generation); may be empty on old daprd.</param>
/// <param name="Input">The workflow input as JSON, or null.</param>
/// <param name="ParentInstance">The parent, when this is a child workflow.</param>
public sealed record ExecutionStartedEvent(int EventId, DateTime Timestamp, string Name, string InstanceId, string? ExecutionId, string? Input, ParentInstanceInfo? ParentInstance)
    : HistoryEvent(EventId, Timestamp);
