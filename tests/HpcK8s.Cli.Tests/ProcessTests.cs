using System.Diagnostics;
using System.Text.Json;
using HpcK8s.Core.Kernels;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Cli.Tests;

/// <summary>The real <c>hpck8s</c> program as a child process: killed, interrupted, and run again.</summary>
public sealed class ProcessTests : IDisposable
{
    private const int Shards = 300;
    private const long Samples = 6_000_000_000;
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Manifest() => _cli.Write("mc.yaml", $$"""
        apiVersion: hpck8s.io/v1alpha1
        kind: ComputeJob
        metadata: { name: mc }
        spec:
          kernel: { name: pi-montecarlo }
          parameters: { samples: "{{Samples}}", seed: "7" }
          shards: {{Shards}}
        """);

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hpck8s.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start hpck8s");
    }

    private int ShardsDone()
    {
        if (!File.Exists(LocalEngineOptions.DatabasePath(_cli.StateDir)))
        {
            return 0;
        }

        using var client = new LocalWorkflowClient(_cli.StateDir);
        return client.ListInstances("mc").Sum(b => WorkflowJson.Deserialize<JobProgress>(b.CustomStatus)?.Succeeded ?? 0);
    }

    private async Task<int> WaitForShardsAsync(Process process, int atLeast)
    {
        var clock = Stopwatch.StartNew();
        int done;
        while ((done = ShardsDone()) < atLeast)
        {
            if (process.HasExited)
            {
                Assert.Fail($"hpck8s exited ({process.ExitCode}) before {atLeast} shards were done: {await process.StandardError.ReadToEndAsync()}");
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"only {done} shards done after a minute");
            await Task.Delay(20);
        }

        return done;
    }

    private async Task<JsonElement> RunToEndAsync()
    {
        using var process = Start("run", Manifest(), "--output", "json", "--workers", "1", "--state-dir", _cli.StateDir);
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static string Expected()
    {
        // The same job computed in-process through the kernel alone: the reference the resumed runs must match.
        var kernel = KernelRegistry.BuiltIn.Get("pi-montecarlo");
        var job = new KernelJob(new Dictionary<string, string> { ["samples"] = Samples.ToString(System.Globalization.CultureInfo.InvariantCulture), ["seed"] = "7" }, Shards);
        var partials = new string[Shards];
        Parallel.For(0, Shards, i => partials[i] = kernel.ExecuteShard(job, i, CancellationToken.None));
        var reducer = new ShardReducer(Shards, (a, b) => kernel.Merge(job, a, b));
        for (var i = 0; i < Shards; i++)
        {
            reducer.Add(i, partials[i]);
        }

        return kernel.Finish(job, reducer.Result, CancellationToken.None).Value;
    }

    [Fact]
    public async Task KillNine_MidJob_RerunResumesWithSameResultAndNoFinishedShardRecomputed()
    {
        using (var first = Start("run", Manifest(), "--output", "json", "--workers", "1", "--state-dir", _cli.StateDir))
        {
            await WaitForShardsAsync(first, 60);
            first.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            await first.WaitForExitAsync();
        }

        var doneAtKill = ShardsDone();
        var report = await RunToEndAsync();

        Assert.Equal("Succeeded", report.GetProperty("phase").GetString());
        Assert.Equal(Expected(), report.GetProperty("result").GetProperty("value").GetString());
        var shards = report.GetProperty("shards");
        var resumed = shards.GetProperty("resumed").GetInt32();
        var executed = shards.GetProperty("executed").GetInt32();
        Assert.Equal(doneAtKill, resumed);
        Assert.True(resumed >= 60, $"resumed {resumed}");
        // Every shard not finished before the kill ran once more; the one in flight at the kill may have run twice.
        Assert.Equal(Shards - resumed, executed);
        Assert.Equal(Shards, shards.GetProperty("succeeded").GetInt32());
    }

    [Fact]
    public async Task CtrlC_MidJob_StopsCleanlyAndRerunResumes()
    {
        using (var first = Start("run", Manifest(), "--workers", "1", "--state-dir", _cli.StateDir))
        {
            await WaitForShardsAsync(first, 30);
            using (var interrupt = Process.Start("kill", ["-INT", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt!.WaitForExitAsync();
            }

            var stderr = await first.StandardError.ReadToEndAsync();
            await first.WaitForExitAsync();
            Assert.Equal(130, first.ExitCode);
            Assert.Contains("mc: interrupted; state kept in", stderr, StringComparison.Ordinal);
        }

        var report = await RunToEndAsync();

        Assert.Equal("Succeeded", report.GetProperty("phase").GetString());
        Assert.True(report.GetProperty("shards").GetProperty("resumed").GetInt32() >= 30);
        Assert.Equal(Expected(), report.GetProperty("result").GetProperty("value").GetString());
    }
}
