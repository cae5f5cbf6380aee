using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcK8s.Workflows.Execution;

/// <summary>
/// The deterministic replay executor: runs one workflow turn from the instance's history and returns the actions
/// to send back. Both the Dapr worker and the local engine drive workflows through it.
/// </summary>
/// <remarks>
/// <para>The executor keeps no state between turns. Each call re-runs the workflow code from the start on a
/// single-threaded deterministic scheduler on the calling thread: it replays <c>pastEvents</c> (with
/// <see cref="WorkflowContext.IsReplaying"/> true), matches every scheduling event to the action the code
/// produced with the same id, then processes <c>newEvents</c>. Actions still unmatched at the end are the
/// turn's output, in id order; a completion goes last.</para>
/// <para>It never throws for workflow problems: unknown names, workflow exceptions, non-determinism and its own
/// failures all become a <see cref="CompleteWorkflowAction"/> with status Failed.</para>
/// <para>Cost: O(past + new events + actions created) per turn, with hash lookups only; see the project README.</para>
/// </remarks>
public static class WorkflowExecutor
{
    /// <summary>Runs one turn.</summary>
    /// <param name="registry">Where to find the workflow named in <see cref="ExecutionStartedEvent"/>.</param>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="pastEvents">The history already processed in earlier turns (empty on the first turn).</param>
    /// <param name="newEvents">The events of this turn, starting with a <see cref="WorkflowStartedEvent"/>.</param>
    /// <param name="loggerFactory">Source of the loggers behind <see cref="WorkflowContext.CreateReplaySafeLogger(string)"/>.</param>
    /// <returns>The turn's actions, custom status and completion.</returns>
    public static WorkflowTurnResult Execute(
        WorkflowRegistry registry,
        string instanceId,
        IReadOnlyList<HistoryEvent> pastEvents,
        IReadOnlyList<HistoryEvent> newEvents,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(pastEvents);
        ArgumentNullException.ThrowIfNull(newEvents);
        var turn = new WorkflowTurn(registry, instanceId, loggerFactory ?? NullLoggerFactory.Instance);
        return turn.Run(pastEvents, newEvents);
    }
}
