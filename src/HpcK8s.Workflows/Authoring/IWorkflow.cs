namespace HpcK8s.Workflows.Authoring;

/// <summary>
/// A workflow as the executor sees it: untyped input and output. Derive from
/// <see cref="Workflow{TInput, TOutput}"/> instead of implementing this directly.
/// </summary>
public interface IWorkflow
{
    /// <summary>The type the JSON input is deserialized to.</summary>
    Type InputType { get; }

    /// <summary>The type of the output, serialized to JSON when the workflow completes.</summary>
    Type OutputType { get; }

    /// <summary>Runs the workflow code.</summary>
    /// <param name="context">The workflow context.</param>
    /// <param name="input">The deserialized input, possibly null.</param>
    /// <returns>The output.</returns>
    Task<object?> RunAsync(WorkflowContext context, object? input);
}
