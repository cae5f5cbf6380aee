using System.Diagnostics.CodeAnalysis;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcK8s.Workflows.Execution;

/// <summary>
/// A cached ("sticky") execution of one workflow instance: keeps the running workflow code between turns so that a
/// turn processes only its new events instead of replaying the whole history, as Temporal's sticky workflows and
/// DurableTask's extended sessions do. Falls back to a full replay whenever it cannot vouch for the cached state.
/// </summary>
/// <remarks>
/// <para>Protocol per turn: call <see cref="Execute"/> with the full history and the new events, record the returned
/// actions in history the usual way (one scheduling event per action), then call <see cref="Acknowledge"/> with the
/// history's new length. The next <see cref="Execute"/> continues the cached execution only when the previous turn was
/// acknowledged and <c>pastEvents.Count</c> equals the acknowledged length; otherwise (first turn, a restart, a history
/// that changed under it, an unacknowledged turn) it replays everything with a fresh execution, exactly like
/// <see cref="WorkflowExecutor.Execute"/>.</para>
/// <para>Both paths feed the workflow code the same events in the same order, and acknowledging an action has the
/// effect that replaying its scheduling event would have (it leaves the outbox), so they return the same actions.
/// While continuing, nothing is replayed: <see cref="WorkflowContext.IsReplaying"/> is false throughout.</para>
/// <para>A continued execution runs on whichever thread calls <see cref="Execute"/>; calls must not overlap. If the
/// workflow code posted work to its scheduler from outside a turn (forbidden APIs such as <c>Task.Delay</c>), the
/// cache is discarded and the turn replays in full, so the outcome is what a full replay would give.</para>
/// </remarks>
public sealed class WorkflowSession
{
    private readonly WorkflowRegistry _registry;
    private readonly string _instanceId;
    private readonly ILoggerFactory _loggerFactory;
    private WorkflowTurn? _execution;
    private WorkflowTurnResult? _unacknowledged;
    private int _historyLength = -1;

    /// <summary>Creates an empty session for <paramref name="instanceId"/>; its first turn is a full replay.</summary>
    public WorkflowSession(WorkflowRegistry registry, string instanceId, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(instanceId);
        _registry = registry;
        _instanceId = instanceId;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>True when the next turn can continue the cached execution (given a history of <see cref="HistoryLength"/> events).</summary>
    public bool IsWarm => _execution is not null && _unacknowledged is null && !_execution.IsFinished;

    /// <summary>The history length the cached execution stands for, or -1 when there is none.</summary>
    public int HistoryLength => IsWarm ? _historyLength : -1;

    /// <summary>Turns that replayed the history in full (first turns and fallbacks).</summary>
    public int FullReplays { get; private set; }

    /// <summary>Runs one turn: continues the cached execution when possible, else replays the whole history.</summary>
    /// <param name="pastEvents">The whole history recorded so far (empty on the first turn).</param>
    /// <param name="newEvents">The events of this turn, starting with a <see cref="WorkflowStartedEvent"/>.</param>
    /// <returns>What <see cref="WorkflowExecutor.Execute"/> would return for the same history.</returns>
    public WorkflowTurnResult Execute(IReadOnlyList<HistoryEvent> pastEvents, IReadOnlyList<HistoryEvent> newEvents)
    {
        ArgumentNullException.ThrowIfNull(pastEvents);
        ArgumentNullException.ThrowIfNull(newEvents);
        if (TryContinue(pastEvents.Count, newEvents, out var result))
        {
            return result;
        }

        FullReplays++;
        _execution = new WorkflowTurn(_registry, _instanceId, _loggerFactory);
        return Finish(_execution.Run(pastEvents, newEvents));
    }

    /// <summary>Runs one turn from the cached execution if it stands for a history of <paramref name="historyLength"/>
    /// events; returns false, doing nothing, when it cannot (then call <see cref="Execute"/> with the history).</summary>
    /// <remarks>Lets an engine keep the history out of memory while the execution is cached.</remarks>
    public bool TryContinue(int historyLength, IReadOnlyList<HistoryEvent> newEvents, [NotNullWhen(true)] out WorkflowTurnResult? result)
    {
        ArgumentNullException.ThrowIfNull(newEvents);
        if (!IsWarm || historyLength != _historyLength || _execution!.HasForeignPosts)
        {
            result = null;
            return false;
        }

        result = Finish(_execution.Continue(newEvents));
        return true;
    }

    private WorkflowTurnResult Finish(WorkflowTurnResult result)
    {
        _unacknowledged = result;
        if (result.IsCompleted)
        {
            // Finished: no further turn of this execution (continue-as-new starts a new one with a new history).
            Reset();
        }

        return result;
    }

    /// <summary>Confirms that the last turn's actions are now recorded in history, which has
    /// <paramref name="historyLength"/> events, so the next turn may continue the cached execution.</summary>
    public void Acknowledge(int historyLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(historyLength);
        if (_execution is null || _unacknowledged is null)
        {
            return;
        }

        _execution.Acknowledge(_unacknowledged.Actions);
        _unacknowledged = null;
        _historyLength = historyLength;
    }

    /// <summary>Drops the cached execution (eviction): the next turn replays the whole history.</summary>
    public void Reset()
    {
        _execution = null;
        _unacknowledged = null;
        _historyLength = -1;
    }
}
