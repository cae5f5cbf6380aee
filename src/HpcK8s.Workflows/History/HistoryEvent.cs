using System.Text.Json.Serialization;

namespace HpcK8s.Workflows.History;

/// <summary>
/// One event of a workflow instance's history, modelled on the Durable Task protocol's <c>HistoryEvent</c>.
/// </summary>
/// <remarks>
/// <para><see cref="EventId"/> is not a position: only scheduling events (<see cref="TaskScheduledEvent"/>,
/// <see cref="TimerCreatedEvent"/>, <see cref="ChildWorkflowInstanceCreatedEvent"/>, <see cref="EventSentEvent"/>)
/// carry the id of the action they record; all other events carry <see cref="NoEventId"/> (-1).</para>
/// <para>Serializes polymorphically with a <c>"kind"</c> discriminator (use <see cref="WorkflowJson.Options"/> and
/// the base type), so an engine can store events as JSON.</para>
/// </remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ExecutionStartedEvent), "executionStarted")]
[JsonDerivedType(typeof(ExecutionCompletedEvent), "executionCompleted")]
[JsonDerivedType(typeof(ExecutionTerminatedEvent), "executionTerminated")]
[JsonDerivedType(typeof(TaskScheduledEvent), "taskScheduled")]
[JsonDerivedType(typeof(TaskCompletedEvent), "taskCompleted")]
[JsonDerivedType(typeof(TaskFailedEvent), "taskFailed")]
[JsonDerivedType(typeof(ChildWorkflowInstanceCreatedEvent), "childWorkflowInstanceCreated")]
[JsonDerivedType(typeof(ChildWorkflowInstanceCompletedEvent), "childWorkflowInstanceCompleted")]
[JsonDerivedType(typeof(ChildWorkflowInstanceFailedEvent), "childWorkflowInstanceFailed")]
[JsonDerivedType(typeof(TimerCreatedEvent), "timerCreated")]
[JsonDerivedType(typeof(TimerFiredEvent), "timerFired")]
[JsonDerivedType(typeof(WorkflowStartedEvent), "workflowStarted")]
[JsonDerivedType(typeof(WorkflowCompletedEvent), "workflowCompleted")]
[JsonDerivedType(typeof(EventSentEvent), "eventSent")]
[JsonDerivedType(typeof(EventRaisedEvent), "eventRaised")]
[JsonDerivedType(typeof(ContinueAsNewEvent), "continueAsNew")]
[JsonDerivedType(typeof(ExecutionSuspendedEvent), "executionSuspended")]
[JsonDerivedType(typeof(ExecutionResumedEvent), "executionResumed")]
public abstract record HistoryEvent(int EventId, DateTime Timestamp)
{
    /// <summary>The <see cref="EventId"/> of events that do not record an action.</summary>
    public const int NoEventId = -1;
}
