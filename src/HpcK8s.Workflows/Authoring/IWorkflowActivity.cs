namespace HpcK8s.Workflows.Authoring;

/// <summary>
/// An activity as the activity executor sees it: untyped input and output. Derive from
/// <see cref="WorkflowActivity{TInput, TOutput}"/> instead of implementing this directly.
/// </summary>
public interface IWorkflowActivity
{
    /// <summary>The type the JSON input is deserialized to.</summary>
    Type InputType { get; }

    /// <summary>The type of the output, serialized to JSON.</summary>
    Type OutputType { get; }

    /// <summary>Runs the activity.</summary>
    /// <param name="context">The activity context.</param>
    /// <param name="input">The deserialized input, possibly null.</param>
    /// <returns>The output.</returns>
    Task<object?> RunAsync(WorkflowActivityContext context, object? input);
}
