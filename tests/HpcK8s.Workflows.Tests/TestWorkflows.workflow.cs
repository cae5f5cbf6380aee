using HpcK8s.Workflows.Authoring;

namespace HpcK8s.Workflows.Tests;

internal sealed class FailingWorkflow : Workflow<object?, int>
{
    public override async Task<int> RunAsync(WorkflowContext context, object? input)
    {
        await context.CallActivityAsync<int>("Anything");
        Throw();
        return 0;
    }

    private static void Throw() =>
        throw new InvalidOperationException("outer problem", new ArgumentException("inner problem"));
}

internal sealed class DoublingWorkflow : Workflow<int, int>
{
    public override Task<int> RunAsync(WorkflowContext context, int input) =>
        context.CallActivityAsync<int>(nameof(DoubleActivity), input);
}

internal sealed class DoubleActivity : WorkflowActivity<int, int>
{
    public override Task<int> RunAsync(WorkflowActivityContext context, int input) => Task.FromResult(input * 2);
}
