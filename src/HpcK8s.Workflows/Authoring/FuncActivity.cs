namespace HpcK8s.Workflows.Authoring;

/// <summary>An activity given as a delegate (see <see cref="WorkflowRegistry.RegisterActivity{TInput, TOutput}(string, Func{WorkflowActivityContext, TInput, Task{TOutput}})"/>).</summary>
internal sealed class FuncActivity<TInput, TOutput>(Func<WorkflowActivityContext, TInput, Task<TOutput>> implementation)
    : WorkflowActivity<TInput, TOutput>
{
    public override Task<TOutput> RunAsync(WorkflowActivityContext context, TInput input) => implementation(context, input);
}
