using Microsoft.Extensions.Logging;

namespace HpcK8s.Workflows.Authoring;

/// <summary>
/// The workflow's window on the world: the only source of time, ids, timers, external events, activities and
/// child workflows that is safe to use in workflow code.
/// </summary>
/// <remarks>
/// <para>Every member is deterministic under replay: on each turn the executor re-runs the workflow from the start
/// and answers these calls from history, so they return the same values as the first time.</para>
/// <para>Call members only from the workflow's own code path (never from <c>Task.Run</c> or after
/// <c>ConfigureAwait(false)</c>); the context is not thread-safe.</para>
/// </remarks>
public abstract class WorkflowContext
{
    /// <summary>The workflow's registered name.</summary>
    public abstract string Name { get; }

    /// <summary>The workflow instance id.</summary>
    public abstract string InstanceId { get; }

    /// <summary>
    /// The current time (UTC): the timestamp of the turn being replayed or run. Use it instead of
    /// <see cref="DateTime.UtcNow"/>.
    /// </summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>True while the executor replays recorded history, false once it processes new events.</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>Schedules an activity and returns its result.</summary>
    /// <typeparam name="TResult">The result type (deserialized from JSON).</typeparam>
    /// <param name="name">The activity name (compared case-insensitively on replay).</param>
    /// <param name="input">The input, serialized to JSON.</param>
    /// <param name="options">Retry options; null means no retries.</param>
    /// <returns>The activity's result.</returns>
    /// <exception cref="WorkflowTaskFailedException">The activity failed (after any retries).</exception>
    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, WorkflowTaskOptions? options = null);

    /// <summary>Schedules an activity and waits for it, discarding its result.</summary>
    /// <param name="name">The activity name.</param>
    /// <param name="input">The input, serialized to JSON.</param>
    /// <param name="options">Retry options; null means no retries.</param>
    /// <returns>A task that completes when the activity does.</returns>
    /// <exception cref="WorkflowTaskFailedException">The activity failed (after any retries).</exception>
    public virtual Task CallActivityAsync(string name, object? input = null, WorkflowTaskOptions? options = null) =>
        CallActivityAsync<object?>(name, input, options);

    /// <summary>Starts a child workflow and returns its result.</summary>
    /// <typeparam name="TResult">The result type (deserialized from JSON).</typeparam>
    /// <param name="workflowName">The child workflow's name.</param>
    /// <param name="input">The input, serialized to JSON.</param>
    /// <param name="options">Instance id and retry options.</param>
    /// <returns>The child's result.</returns>
    /// <exception cref="WorkflowTaskFailedException">The child failed (after any retries).</exception>
    public abstract Task<TResult> CallChildWorkflowAsync<TResult>(string workflowName, object? input = null, ChildWorkflowTaskOptions? options = null);

    /// <summary>Starts a child workflow and waits for it, discarding its result.</summary>
    /// <param name="workflowName">The child workflow's name.</param>
    /// <param name="input">The input, serialized to JSON.</param>
    /// <param name="options">Instance id and retry options.</param>
    /// <returns>A task that completes when the child does.</returns>
    /// <exception cref="WorkflowTaskFailedException">The child failed (after any retries).</exception>
    public virtual Task CallChildWorkflowAsync(string workflowName, object? input = null, ChildWorkflowTaskOptions? options = null) =>
        CallChildWorkflowAsync<object?>(workflowName, input, options);

    /// <summary>Creates a durable timer that fires at <paramref name="fireAt"/>. Use it instead of <c>Task.Delay</c>.</summary>
    /// <param name="fireAt">When to fire; converted to UTC.</param>
    /// <param name="cancellationToken">Cancels the wait (the durable timer itself still fires later and is ignored).</param>
    /// <returns>A task that completes when the timer fires.</returns>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken = default);

    /// <summary>Creates a durable timer that fires <paramref name="delay"/> after <see cref="CurrentUtcDateTime"/>.</summary>
    /// <param name="delay">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait (the durable timer itself still fires later and is ignored).</param>
    /// <returns>A task that completes when the timer fires.</returns>
    public virtual Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken = default) =>
        CreateTimer(CurrentUtcDateTime.Add(delay), cancellationToken);

    /// <summary>
    /// Waits for the external event <paramref name="eventName"/> (case-insensitive, first in first out). An event
    /// that arrived before the call is taken from the buffer. No durable timer is created.
    /// </summary>
    /// <typeparam name="T">The payload type (deserialized from JSON).</typeparam>
    /// <param name="eventName">The event name.</param>
    /// <param name="cancellationToken">Cancels the wait; the task is then cancelled.</param>
    /// <returns>The event payload.</returns>
    public abstract Task<T> WaitForExternalEventAsync<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for the external event <paramref name="eventName"/> for at most <paramref name="timeout"/>: a
    /// <c>WhenAny</c> of the event and a durable timer whose origin names the event.
    /// </summary>
    /// <typeparam name="T">The payload type (deserialized from JSON).</typeparam>
    /// <param name="eventName">The event name.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The event payload.</returns>
    /// <exception cref="TaskCanceledException">The timeout expired first.</exception>
    public abstract Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan timeout);

    /// <summary>Waits for the external event <paramref name="eventName"/>, optionally with a timeout.</summary>
    /// <typeparam name="T">The payload type (deserialized from JSON).</typeparam>
    /// <param name="eventName">The event name.</param>
    /// <param name="timeout">How long to wait; null waits indefinitely (without a timer).</param>
    /// <returns>The event payload.</returns>
    /// <exception cref="TaskCanceledException">The timeout expired first.</exception>
    public Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan? timeout) =>
        timeout is { } t ? WaitForExternalEventAsync<T>(eventName, t) : WaitForExternalEventAsync<T>(eventName, CancellationToken.None);

    /// <summary>Sends an event to another workflow instance (fire and forget).</summary>
    /// <param name="instanceId">The receiving instance.</param>
    /// <param name="eventName">The event name.</param>
    /// <param name="payload">The payload, serialized to JSON.</param>
    public abstract void SendEvent(string instanceId, string eventName, object? payload = null);

    /// <summary>
    /// Ends this execution and starts a new one of the same instance with <paramref name="newInput"/> and a fresh
    /// history. The workflow should return right after calling this; its return value is ignored.
    /// </summary>
    /// <param name="newInput">The next execution's input.</param>
    /// <param name="preserveUnprocessedEvents">Carry external events nobody consumed over to the next execution.</param>
    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    /// <summary>Sets the custom status (serialized to JSON) that the engine reports for the instance.</summary>
    /// <param name="customStatus">The status; null clears it.</param>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>A deterministic new GUID (UUID version 5 over the execution and a counter). Use it instead of <see cref="Guid.NewGuid"/>.</summary>
    /// <returns>The same sequence of GUIDs on every replay.</returns>
    public abstract Guid NewGuid();

    /// <summary>A logger that writes nothing while the workflow replays history, so each message appears once.</summary>
    /// <param name="categoryName">The logger category.</param>
    /// <returns>The replay-safe logger.</returns>
    public abstract ILogger CreateReplaySafeLogger(string categoryName);

    /// <summary>A logger for category <paramref name="type"/> that writes nothing while replaying.</summary>
    /// <param name="type">The type whose full name is the category.</param>
    /// <returns>The replay-safe logger.</returns>
    public virtual ILogger CreateReplaySafeLogger(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return CreateReplaySafeLogger(type.FullName ?? type.Name);
    }

    /// <summary>A logger for category <typeparamref name="T"/> that writes nothing while replaying.</summary>
    /// <typeparam name="T">The type whose full name is the category.</typeparam>
    /// <returns>The replay-safe logger.</returns>
    public virtual ILogger CreateReplaySafeLogger<T>() => CreateReplaySafeLogger(typeof(T));

    /// <summary>Wraps <paramref name="logger"/> so that it writes nothing while replaying.</summary>
    /// <param name="logger">The logger to wrap.</param>
    /// <returns>The replay-safe logger.</returns>
    public abstract ILogger CreateReplaySafeLogger(ILogger logger);
}
