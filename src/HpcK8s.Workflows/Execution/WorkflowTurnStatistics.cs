namespace HpcK8s.Workflows.Execution;

/// <summary>Counts of the work one turn did; useful for metrics and for checking that a turn's cost is linear.</summary>
/// <param name="PastEvents">Past events replayed.</param>
/// <param name="NewEvents">New events processed.</param>
/// <param name="EventsProcessed">Events handled in total, including ones released from a suspension buffer.</param>
/// <param name="ActionsCreated">Actions the code created (replayed and new).</param>
/// <param name="ActionsMatched">Actions matched to scheduling events in history.</param>
/// <param name="CompletionsDelivered">Task, timer and child completions and external events handed to the code.</param>
/// <param name="SchedulerCallbacks">Continuations the deterministic scheduler ran from its queue.</param>
public sealed record WorkflowTurnStatistics(
    int PastEvents,
    int NewEvents,
    int EventsProcessed,
    int ActionsCreated,
    int ActionsMatched,
    int CompletionsDelivered,
    int SchedulerCallbacks);
