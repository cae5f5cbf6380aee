namespace HpcK8s.Workflows.Authoring;

/// <summary>A workflow given as a delegate (see <see cref="WorkflowRegistry.RegisterWorkflow{TInput, TOutput}(string, Func{WorkflowContext, TInput, Task{TOutput}})"/>).</summary>
internal sealed class FuncWorkflow<TInput, TOutput>(Func<WorkflowContext, TInput, Task<TOutput>> implementation)
    : Workflow<TInput, TOutput>
{
    public override Task<TOutput> RunAsync(WorkflowContext context, TInput input) => implementation(context, input);
}
