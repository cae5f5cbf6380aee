namespace HpcK8s.Workflows.Authoring;

/// <summary>
/// Base class of activities: the units of real work (I/O, computation) that workflows schedule.
/// </summary>
/// <remarks>
/// Activities run at least once: after a worker disconnects, the engine dispatches them again. Make them
/// idempotent, keyed on <see cref="WorkflowActivityContext.TaskExecutionId"/> where it matters. Unlike workflows,
/// activities may do anything: clocks, I/O, injected services.
/// </remarks>
/// <typeparam name="TInput">The input type (deserialized from JSON).</typeparam>
/// <typeparam name="TOutput">The output type (serialized to JSON).</typeparam>
public abstract class WorkflowActivity<TInput, TOutput> : IWorkflowActivity
{
    /// <inheritdoc/>
    public Type InputType => typeof(TInput);

    /// <inheritdoc/>
    public Type OutputType => typeof(TOutput);

    /// <summary>The activity code.</summary>
    /// <param name="context">The activity context, with the cancellation token.</param>
    /// <param name="input">The input.</param>
    /// <returns>The output.</returns>
    public abstract Task<TOutput> RunAsync(WorkflowActivityContext context, TInput input);

    /// <inheritdoc/>
    async Task<object?> IWorkflowActivity.RunAsync(WorkflowActivityContext context, object? input) =>
        await RunAsync(context, input is TInput typed ? typed : default!).ConfigureAwait(false);
}
