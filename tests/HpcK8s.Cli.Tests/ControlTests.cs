using System.Text.Json;
using HpcK8s.Core.Kernels;
using HpcK8s.Testing;

namespace HpcK8s.Cli.Tests;

/// <summary><c>suspend</c>, <c>resume</c> and <c>terminate</c> issued by a second CLI invocation while <c>run</c> works.</summary>
public sealed class ControlTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly ScriptedKernel _kernel = new();
    private readonly KernelRegistry _kernels;

    public ControlTests()
    {
        _kernels = new KernelRegistry([_kernel]);
    }

    public void Dispose() => _cli.Dispose();

    // 24 shards of 150 ms on one worker: 3.6 s, so a suspend or terminate from another invocation lands mid-job even
    // when the whole suite loads both cores (at 60 ms a loaded machine once saw all 24 finish first).
    private Task<(int Exit, string Out, string Err)> StartRun(string name) =>
        _cli.RunAsync(_kernels, "run", _cli.Write($"{name}.yaml", CliHarness.Job(name, "sleepMs: \"150\"", shards: 24)), "--workers", "1", "--output", "json", "--state-dir", _cli.StateDir);

    private async Task<JsonElement> StatusAsync(string name)
    {
        var (_, stdout, _) = await _cli.RunAsync(_kernels, "status", name, "--output", "json", "--state-dir", _cli.StateDir);
        return stdout.Length == 0 ? default : JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private async Task WaitForAsync(string name, Func<JsonElement, bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var status = await StatusAsync(name);
            if (status.ValueKind == JsonValueKind.Object && condition(status))
            {
                return;
            }

            await Task.Delay(20, cts.Token);
        }
    }

    [Fact]
    public async Task SuspendThenResume_FromAnotherInvocation_HoldsShardsThenFinishes()
    {
        var run = StartRun("held");
        await WaitForAsync("held", s => s.GetProperty("succeeded").GetInt32() >= 2);

        var (suspendExit, suspendOut, _) = await _cli.RunAsync(_kernels, "suspend", "held", "--state-dir", _cli.StateDir);
        Assert.Equal(0, suspendExit);
        Assert.Contains("held: suspend requested", suspendOut, StringComparison.Ordinal);
        await WaitForAsync("held", s => s.GetProperty("phase").GetString() == "Suspended");
        await Task.Delay(300); // let the shard in flight at the suspend finish
        var executionsWhileSuspended = _kernel.Executions;
        await Task.Delay(500);
        Assert.Equal(executionsWhileSuspended, _kernel.Executions);
        Assert.True(executionsWhileSuspended < 24, $"{executionsWhileSuspended} shards ran before the suspend took hold");
        Assert.False(run.IsCompleted);

        Assert.Equal(0, (await _cli.RunAsync(_kernels, "resume", "held", "--state-dir", _cli.StateDir)).Exit);
        var (exit, stdout, stderr) = await run;

        Assert.True(exit == 0, stderr);
        Assert.Equal("Succeeded", JsonDocument.Parse(stdout).RootElement.GetProperty("phase").GetString());
        Assert.Equal(24, _kernel.Executions);
    }

    [Fact]
    public async Task Terminate_FromAnotherInvocation_EndsRunAsTerminated()
    {
        var run = StartRun("doomed");
        await WaitForAsync("doomed", s => s.GetProperty("succeeded").GetInt32() >= 1);

        Assert.Equal(0, (await _cli.RunAsync(_kernels, "terminate", "doomed", "--state-dir", _cli.StateDir)).Exit);
        var (exit, stdout, _) = await run;

        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal("Failed", report.RootElement.GetProperty("phase").GetString());
        Assert.Equal("Terminated", report.RootElement.GetProperty("reason").GetString());
        Assert.True(_kernel.Executions < 24);
        var status = await StatusAsync("doomed");
        Assert.Equal("Failed", status.GetProperty("phase").GetString());
        Assert.Equal("Terminated", status.GetProperty("reason").GetString());
    }
}
