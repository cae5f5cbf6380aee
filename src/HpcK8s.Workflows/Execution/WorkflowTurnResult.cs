using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Execution;

/// <summary>What one workflow turn produced: the response to send back to the engine.</summary>
/// <param name="Actions">The actions not yet recorded in history, in id order; a completion, if any, is last.</param>
/// <param name="CustomStatus">The custom status as JSON (send it on every turn: the engine overwrites the stored value).</param>
/// <param name="Completion">The completion action (also the last element of <paramref name="Actions"/>), or null while running.</param>
/// <param name="IsSuspended">True when the instance ended the turn suspended (then <paramref name="Actions"/> is empty).</param>
/// <param name="Statistics">What the turn did.</param>
public sealed record WorkflowTurnResult(
    IReadOnlyList<WorkflowAction> Actions,
    string? CustomStatus,
    CompleteWorkflowAction? Completion,
    bool IsSuspended,
    WorkflowTurnStatistics Statistics)
{
    /// <summary>True when the turn completed the execution (completed, failed, terminated or continued as new).</summary>
    public bool IsCompleted => Completion is not null;
}
