using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Execution;

/// <summary>Runs one activity work item: looks the activity up, runs it, and captures its output or failure.</summary>
public static class ActivityExecutor
{
    /// <summary>Runs the activity <paramref name="name"/>.</summary>
    /// <remarks>
    /// An exception of the activity becomes <see cref="ActivityResult.FailureDetails"/> (the engine records it as
    /// <see cref="TaskFailedEvent"/>, and the workflow sees a <see cref="WorkflowTaskFailedException"/>). An unknown
    /// name fails non-retriably. Cancellation through <paramref name="cancellationToken"/> is not a failure: the
    /// <see cref="OperationCanceledException"/> propagates, and the caller must not report a result (the engine
    /// dispatches the activity again).
    /// </remarks>
    /// <param name="registry">Where to find the activity.</param>
    /// <param name="name">The activity name (case-insensitive).</param>
    /// <param name="input">The input as JSON, or null.</param>
    /// <param name="instanceId">The calling workflow instance.</param>
    /// <param name="taskId">The <c>TaskScheduled</c> event id (the action id).</param>
    /// <param name="taskExecutionId">The id shared by all attempts of this call.</param>
    /// <param name="cancellationToken">Cancelled on shutdown or when the work item is lost.</param>
    /// <returns>The output or the failure.</returns>
    public static async Task<ActivityResult> ExecuteAsync(
        WorkflowRegistry registry,
        string name,
        string? input,
        string instanceId,
        int taskId,
        string? taskExecutionId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(instanceId);
        if (!registry.TryCreateActivity(name, out var activity))
        {
            return ActivityResult.Failure(new FailureDetails(
                WorkflowErrorTypes.ActivityNotFound,
                $"No activity named '{name}' is registered with this worker (registered: {string.Join(", ", registry.ActivityNames.Order(StringComparer.Ordinal))}). " +
                "Register it in the WorkflowRegistry.",
                IsNonRetriable: true));
        }

        try
        {
            var context = new WorkflowActivityContext(name, instanceId, taskId, taskExecutionId, cancellationToken);
            var output = await activity.RunAsync(context, WorkflowJson.Deserialize(input, activity.InputType)).ConfigureAwait(false);
            return ActivityResult.Success(WorkflowJson.Serialize(output));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Every activity exception is reported to the engine as failure details.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ActivityResult.Failure(FailureDetails.FromException(ex));
        }
    }
}
