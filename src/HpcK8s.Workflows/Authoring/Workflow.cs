namespace HpcK8s.Workflows.Authoring;

/// <summary>
/// Base class of workflows: deterministic code that orchestrates activities, timers, events and child workflows.
/// </summary>
/// <remarks>
/// <para>The executor re-runs <see cref="RunAsync(WorkflowContext, TInput)"/> from the start on every turn and
/// replays recorded results into it, so the code must make the same calls in the same order every time: no clocks,
/// <see cref="Guid.NewGuid"/>, random numbers, <c>Task.Run</c>, <c>Task.Delay</c>, <c>ConfigureAwait(false)</c>,
/// I/O or injected services. Use <see cref="WorkflowContext"/>'s time, ids, timers and activities instead
/// (see the project README).</para>
/// <para>A new instance is created for every turn; fields do not survive between turns.</para>
/// <para>Put implementations in files named <c>*.workflow.cs</c>.</para>
/// </remarks>
/// <typeparam name="TInput">The input type (deserialized from JSON).</typeparam>
/// <typeparam name="TOutput">The output type (serialized to JSON).</typeparam>
public abstract class Workflow<TInput, TOutput> : IWorkflow
{
    /// <inheritdoc/>
    public Type InputType => typeof(TInput);

    /// <inheritdoc/>
    public Type OutputType => typeof(TOutput);

    /// <summary>The workflow code.</summary>
    /// <param name="context">The workflow context: the only source of time, ids, timers, events and activities.</param>
    /// <param name="input">The input.</param>
    /// <returns>The output.</returns>
    public abstract Task<TOutput> RunAsync(WorkflowContext context, TInput input);

    /// <inheritdoc/>
    async Task<object?> IWorkflow.RunAsync(WorkflowContext context, object? input)
    {
        // ConfigureAwait(true): the continuation must stay on the workflow's deterministic scheduler.
        return await RunAsync(context, input is TInput typed ? typed : default!).ConfigureAwait(true);
    }
}
