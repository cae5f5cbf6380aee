namespace HpcK8s.Workflows.History;

/// <summary>
/// End the execution: completed with a result, failed with failure details, terminated, or continued as new.
/// </summary>
/// <remarks>
/// Protocol: <c>WorkflowAction.completeWorkflow 6</c>. It takes the next id of the execution's counter and is
/// always the last action of a response; if the code completes more than once, the first completion wins.
/// </remarks>
/// <param name="Id">The action id.</param>
/// <param name="Status"><see cref="OrchestrationStatus.Completed"/>, <see cref="OrchestrationStatus.Failed"/>,
/// <see cref="OrchestrationStatus.Terminated"/> or <see cref="OrchestrationStatus.ContinuedAsNew"/>.</param>
/// <param name="Result">The output as JSON; for continue-as-new the new input; for terminate the termination input.</param>
/// <param name="FailureDetails">Why the workflow failed, when <paramref name="Status"/> is Failed.</param>
/// <param name="CarryoverEvents">For continue-as-new: the <see cref="EventRaisedEvent"/>s nobody consumed,
/// which the engine appends to the next execution's first turn.</param>
public sealed record CompleteWorkflowAction(
    int Id,
    OrchestrationStatus Status,
    string? Result,
    FailureDetails? FailureDetails,
    IReadOnlyList<HistoryEvent> CarryoverEvents) : WorkflowAction(Id);
