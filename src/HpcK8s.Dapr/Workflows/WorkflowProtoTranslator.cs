using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using HpcK8s.Workflows.History;
using P = HpcK8s.Dapr.Protos;

namespace HpcK8s.Dapr.Workflows;

/// <summary>
/// Translates between daprd's Durable Task messages and the executor's history and action records.
/// </summary>
/// <remarks>
/// <para>A translation, not a second executor: every event and action maps one to one (see
/// <c>docs/dapr-workflow-protocol.md</c>, sections 2-4). Rules applied here:</para>
/// <list type="bullet">
/// <item>The execution id comes from <c>ExecutionStarted.workflowInstance.executionId</c>; <c>WorkflowRequest.executionId</c>
/// is empty up to daprd 1.18 and is not read.</item>
/// <item><c>router</c> fields (Dapr only) are ignored on reading and never written.</item>
/// <item>Events the executor does not model (stalled, detached-created) are dropped; they carry no id the executor matches.</item>
/// <item>Payloads: an absent <c>StringValue</c>, <c>""</c> and <c>"null"</c> read as null; null is written as an absent value.</item>
/// <item>Fields whose meaning differs between Dapr and Microsoft's lineage are never set (the .proto reserves them).</item>
/// </list>
/// </remarks>
internal static class WorkflowProtoTranslator
{
    /// <summary>Translates a request's past or new events; events we do not model are skipped.</summary>
    public static List<HistoryEvent> ToHistory(IEnumerable<P.HistoryEvent> events)
    {
        var result = new List<HistoryEvent>();
        foreach (var e in events)
        {
            var translated = ToHistoryEvent(e);
            if (translated is not null)
            {
                result.Add(translated);
            }
        }

        return result;
    }

    /// <summary>Translates one history event, or returns null for kinds the executor does not model.</summary>
    public static HistoryEvent? ToHistoryEvent(P.HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var id = e.EventId;
        var ts = ToDateTime(e.Timestamp);
        return e.EventTypeCase switch
        {
            P.HistoryEvent.EventTypeOneofCase.ExecutionStarted => new ExecutionStartedEvent(
                id, ts,
                e.ExecutionStarted.Name,
                e.ExecutionStarted.WorkflowInstance?.InstanceId ?? string.Empty,
                NullIfEmpty(e.ExecutionStarted.WorkflowInstance?.ExecutionId),
                Payload(e.ExecutionStarted.Input),
                ToParent(e.ExecutionStarted.ParentInstance)),
            P.HistoryEvent.EventTypeOneofCase.ExecutionCompleted => new ExecutionCompletedEvent(
                id, ts,
                (OrchestrationStatus)(int)e.ExecutionCompleted.WorkflowStatus,
                Payload(e.ExecutionCompleted.Result),
                ToFailure(e.ExecutionCompleted.FailureDetails)),
            P.HistoryEvent.EventTypeOneofCase.ExecutionTerminated => new ExecutionTerminatedEvent(
                id, ts, Payload(e.ExecutionTerminated.Input), e.ExecutionTerminated.Recurse),
            P.HistoryEvent.EventTypeOneofCase.TaskScheduled => new TaskScheduledEvent(
                id, ts, e.TaskScheduled.Name, Payload(e.TaskScheduled.Input), NullIfEmpty(e.TaskScheduled.TaskExecutionId)),
            P.HistoryEvent.EventTypeOneofCase.TaskCompleted => new TaskCompletedEvent(
                id, ts, e.TaskCompleted.TaskScheduledId, Payload(e.TaskCompleted.Result), NullIfEmpty(e.TaskCompleted.TaskExecutionId)),
            P.HistoryEvent.EventTypeOneofCase.TaskFailed => new TaskFailedEvent(
                id, ts, e.TaskFailed.TaskScheduledId, ToFailureOrUnknown(e.TaskFailed.FailureDetails), NullIfEmpty(e.TaskFailed.TaskExecutionId)),
            P.HistoryEvent.EventTypeOneofCase.ChildWorkflowInstanceCreated => new ChildWorkflowInstanceCreatedEvent(
                id, ts, e.ChildWorkflowInstanceCreated.InstanceId, e.ChildWorkflowInstanceCreated.Name, Payload(e.ChildWorkflowInstanceCreated.Input)),
            P.HistoryEvent.EventTypeOneofCase.ChildWorkflowInstanceCompleted => new ChildWorkflowInstanceCompletedEvent(
                id, ts, e.ChildWorkflowInstanceCompleted.TaskScheduledId, Payload(e.ChildWorkflowInstanceCompleted.Result)),
            P.HistoryEvent.EventTypeOneofCase.ChildWorkflowInstanceFailed => new ChildWorkflowInstanceFailedEvent(
                id, ts, e.ChildWorkflowInstanceFailed.TaskScheduledId, ToFailureOrUnknown(e.ChildWorkflowInstanceFailed.FailureDetails)),
            P.HistoryEvent.EventTypeOneofCase.TimerCreated => new TimerCreatedEvent(
                id, ts, ToDateTime(e.TimerCreated.FireAt), e.TimerCreated.HasName ? e.TimerCreated.Name : null, Origin: null),
            P.HistoryEvent.EventTypeOneofCase.TimerFired => new TimerFiredEvent(
                id, ts, ToDateTime(e.TimerFired.FireAt), e.TimerFired.TimerId),
            P.HistoryEvent.EventTypeOneofCase.WorkflowStarted => new WorkflowStartedEvent(id, ts),
            P.HistoryEvent.EventTypeOneofCase.WorkflowCompleted => new WorkflowCompletedEvent(id, ts),
            P.HistoryEvent.EventTypeOneofCase.EventSent => new EventSentEvent(
                id, ts, e.EventSent.InstanceId, e.EventSent.Name, Payload(e.EventSent.Input)),
            P.HistoryEvent.EventTypeOneofCase.EventRaised => new EventRaisedEvent(
                id, ts, e.EventRaised.Name, Payload(e.EventRaised.Input)),
            P.HistoryEvent.EventTypeOneofCase.ContinueAsNew => new ContinueAsNewEvent(id, ts, Payload(e.ContinueAsNew.Input)),
            P.HistoryEvent.EventTypeOneofCase.ExecutionSuspended => new ExecutionSuspendedEvent(id, ts, Payload(e.ExecutionSuspended.Input)),
            P.HistoryEvent.EventTypeOneofCase.ExecutionResumed => new ExecutionResumedEvent(id, ts, Payload(e.ExecutionResumed.Input)),
            _ => null,
        };
    }

    /// <summary>Builds the response of one workflow turn.</summary>
    /// <param name="instanceId">The instance id of the request.</param>
    /// <param name="completionToken">The work item's completion token, echoed exactly.</param>
    /// <param name="actions">The turn's actions in id order.</param>
    /// <param name="customStatus">The custom status JSON, sent on every turn (an absent value clears it).</param>
    public static P.WorkflowResponse ToResponse(string instanceId, string completionToken, IEnumerable<WorkflowAction> actions, string? customStatus)
    {
        var response = new P.WorkflowResponse { InstanceId = instanceId, CompletionToken = completionToken ?? string.Empty };
        if (customStatus is not null)
        {
            response.CustomStatus = customStatus;
        }

        foreach (var action in actions)
        {
            response.Actions.Add(ToProto(action));
        }

        return response;
    }

    /// <summary>Translates one action. Every action sets exactly one oneof case (daprd retries a turn forever otherwise).</summary>
    public static P.WorkflowAction ToProto(WorkflowAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var result = new P.WorkflowAction { Id = action.Id };
        switch (action)
        {
            case ScheduleTaskAction a:
                result.ScheduleTask = new P.ScheduleTaskAction { Name = a.Name, Input = a.Input, TaskExecutionId = a.TaskExecutionId ?? string.Empty };
                break;
            case CreateChildWorkflowAction a:
                result.CreateChildWorkflow = new P.CreateChildWorkflowAction { InstanceId = a.InstanceId, Name = a.Name, Input = a.Input };
                break;
            case CreateTimerAction a:
                result.CreateTimer = ToProto(a);
                break;
            case SendEventAction a:
                result.SendEvent = new P.SendEventAction
                {
                    Instance = new P.WorkflowInstance { InstanceId = a.InstanceId },
                    Name = a.Name,
                    Data = a.Data,
                };
                break;
            case CompleteWorkflowAction a:
                result.CompleteWorkflow = ToProto(a);
                break;
            default:
                throw new NotSupportedException($"The action {action.GetType().Name} (id {action.Id}) has no Durable Task protocol translation.");
        }

        return result;
    }

    /// <summary>Translates failure details (recursively, keeping the inner failure chain).</summary>
    public static P.TaskFailureDetails ToProto(FailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var result = new P.TaskFailureDetails
        {
            ErrorType = failure.ErrorType,
            ErrorMessage = failure.ErrorMessage,
            IsNonRetriable = failure.IsNonRetriable,
            StackTrace = failure.StackTrace,
        };
        if (failure.InnerFailure is not null)
        {
            result.InnerFailure = ToProto(failure.InnerFailure);
        }

        return result;
    }

    /// <summary>Translates protocol failure details, or returns null when absent.</summary>
    public static FailureDetails? ToFailure(P.TaskFailureDetails? failure) =>
        failure is null
            ? null
            : new FailureDetails(failure.ErrorType, failure.ErrorMessage, NullIfEmpty(failure.StackTrace), ToFailure(failure.InnerFailure), failure.IsNonRetriable);

    /// <summary>Converts a protocol timestamp to a UTC <see cref="DateTime"/> (absent → <see cref="DateTime.MinValue"/> UTC).</summary>
    public static DateTime ToDateTime(Timestamp? timestamp) =>
        timestamp is null ? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc) : timestamp.ToDateTime();

    /// <summary>Converts a <see cref="DateTime"/> to a protocol timestamp, treating unspecified kinds as UTC.</summary>
    public static Timestamp ToTimestamp(DateTime value) => Timestamp.FromDateTime(value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    });

    /// <summary>Reads a payload: absent, <c>""</c> and <c>"null"</c> are null.</summary>
    public static string? Payload(string? value) => WorkflowJson.IsNull(value) ? null : value;

    private static P.CreateTimerAction ToProto(CreateTimerAction a)
    {
        var timer = new P.CreateTimerAction { FireAt = ToTimestamp(a.FireAt) };
        if (a.Name is not null)
        {
            timer.Name = a.Name;
        }

        switch (a.Origin.Kind)
        {
            case TimerOriginKind.ExternalEvent:
                timer.ExternalEvent = new P.TimerOriginExternalEvent { Name = a.Origin.EventName ?? a.Name ?? string.Empty };
                break;
            case TimerOriginKind.ActivityRetry:
                timer.ActivityRetry = new P.TimerOriginActivityRetry { TaskExecutionId = a.Origin.TaskExecutionId ?? string.Empty };
                break;
            case TimerOriginKind.ChildWorkflowRetry:
                timer.ChildWorkflowRetry = new P.TimerOriginChildWorkflowRetry { InstanceId = a.Origin.InstanceId ?? string.Empty };
                break;
            default:
                timer.CreateTimer = new P.TimerOriginCreateTimer();
                break;
        }

        return timer;
    }

    private static P.CompleteWorkflowAction ToProto(CompleteWorkflowAction a)
    {
        var complete = new P.CompleteWorkflowAction
        {
            WorkflowStatus = (P.OrchestrationStatus)(int)a.Status,
            Result = a.Result,
        };
        if (a.FailureDetails is not null)
        {
            complete.FailureDetails = ToProto(a.FailureDetails);
        }

        foreach (var carried in a.CarryoverEvents)
        {
            complete.CarryoverEvents.Add(ToCarryover(carried));
        }

        return complete;
    }

    // Only buffered external events are carried over into the next execution (brief, section 3: ContinueAsNew).
    private static P.HistoryEvent ToCarryover(HistoryEvent e) => e switch
    {
        EventRaisedEvent raised => new P.HistoryEvent
        {
            EventId = raised.EventId,
            Timestamp = ToTimestamp(raised.Timestamp),
            EventRaised = new P.EventRaisedEvent { Name = raised.Name, Input = raised.Input },
        },
        _ => throw new NotSupportedException(
            string.Create(CultureInfo.InvariantCulture, $"Only EventRaised events can be carried over into a new execution, not {e.GetType().Name}.")),
    };

    private static ParentInstanceInfo? ToParent(P.ParentInstanceInfo? parent) =>
        parent is null
            ? null
            : new ParentInstanceInfo(
                parent.TaskScheduledId,
                NullIfEmpty(parent.Name),
                parent.WorkflowInstance?.InstanceId ?? string.Empty,
                NullIfEmpty(parent.WorkflowInstance?.ExecutionId));

    private static FailureDetails ToFailureOrUnknown(P.TaskFailureDetails? failure) =>
        ToFailure(failure) ?? new FailureDetails("Unknown", "The engine recorded a failure without details.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
