using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Execution;

namespace HpcK8s.Workflows.Tests;

public class ActivityExecutorTests
{
    private sealed record ShardInput(int Index, string Kernel);

    [Fact]
    public async Task ExecuteAsync_Success_PassesContextAndReturnsJsonOutput()
    {
        WorkflowActivityContext? seen = null;
        var registry = new WorkflowRegistry().RegisterActivity<ShardInput, string>("ExecuteShard", (ctx, input) =>
        {
            seen = ctx;
            return Task.FromResult($"{input.Kernel}#{input.Index}");
        });

        var result = await ActivityExecutor.ExecuteAsync(registry, "executeshard", "{\"index\":3,\"kernel\":\"pi\"}", "job-1", 7, "exec-7", CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal("\"pi#3\"", result.Output);
        Assert.Equal(("executeshard", "job-1", 7, "exec-7"), (seen!.Name, seen.InstanceId, seen.TaskId, seen.TaskExecutionId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public async Task ExecuteAsync_NullLikeInput_ArrivesAsDefault(string? input)
    {
        var registry = new WorkflowRegistry().RegisterActivity<int?, string>("Echo", (_, i) => Task.FromResult(i is null ? "none" : "some"));

        var result = await ActivityExecutor.ExecuteAsync(registry, "Echo", input, "i", 0, null, CancellationToken.None);

        Assert.Equal("\"none\"", result.Output);
    }

    [Fact]
    public async Task ExecuteAsync_ActivityThrows_ReturnsFailureDetailsWithStackAndInner()
    {
        var registry = new WorkflowRegistry().RegisterActivity(new ThrowingActivity());

        var result = await ActivityExecutor.ExecuteAsync(registry, nameof(ThrowingActivity), "1", "i", 0, null, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Null(result.Output);
        var failure = result.FailureDetails!;
        Assert.Equal("System.InvalidOperationException", failure.ErrorType);
        Assert.Equal("kernel failed", failure.ErrorMessage);
        Assert.Contains(nameof(ThrowingActivity), failure.StackTrace);
        Assert.Equal("System.DivideByZeroException", failure.InnerFailure?.ErrorType);
        Assert.False(failure.IsNonRetriable);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownActivity_FailsNonRetriably()
    {
        var result = await ActivityExecutor.ExecuteAsync(new WorkflowRegistry(), "Nope", null, "i", 0, null, CancellationToken.None);

        Assert.Equal(WorkflowErrorTypes.ActivityNotFound, result.FailureDetails?.ErrorType);
        Assert.True(result.FailureDetails?.IsNonRetriable);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledByWorker_PropagatesInsteadOfReportingFailure()
    {
        using var cts = new CancellationTokenSource();
        var registry = new WorkflowRegistry().RegisterActivity<object?, int>("Slow", async (ctx, _) =>
        {
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            return 0;
        });

        var run = ActivityExecutor.ExecuteAsync(registry, "Slow", null, "i", 0, null, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    private sealed class ThrowingActivity : WorkflowActivity<int, int>
    {
        public override Task<int> RunAsync(WorkflowActivityContext context, int input)
        {
            try
            {
                return Task.FromResult(input / (input - 1));
            }
            catch (DivideByZeroException ex)
            {
                throw new InvalidOperationException("kernel failed", ex);
            }
        }
    }
}
