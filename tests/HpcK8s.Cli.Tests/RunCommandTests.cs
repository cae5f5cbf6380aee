using System.Text.Json;
using HpcK8s.Core.Kernels;
using HpcK8s.Testing;

namespace HpcK8s.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly ScriptedKernel _kernel = new();
    private readonly KernelRegistry _kernels;

    public RunCommandTests()
    {
        _kernels = new KernelRegistry([_kernel]);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_JsonOutput_HasTheContractFields()
    {
        var file = _cli.Write("job.yaml", CliHarness.Job("squares", "", shards: 10));
        var (exit, stdout, stderr) = await _cli.RunAsync(_kernels, "run", file, "--output", "json", "--state-dir", _cli.StateDir, "--workers", "3");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("squares", root.GetProperty("name").GetString());
        Assert.Equal("scripted", root.GetProperty("kernel").GetString());
        Assert.Equal("Succeeded", root.GetProperty("phase").GetString());
        Assert.Equal("285", root.GetProperty("result").GetProperty("value").GetString()); // 0² + … + 9²
        Assert.Equal("sha256:b04d2c1bec7dd4d4e2d02fb5ea3e1b47fe8c6f6a8fdd1ac5a2de38d0fd7c6c3c".Length, root.GetProperty("result").GetProperty("digest").GetString()!.Length);
        Assert.StartsWith("sha256:", root.GetProperty("result").GetProperty("digest").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, root.GetProperty("shards").GetProperty("total").GetInt32());
        Assert.Equal(10, root.GetProperty("shards").GetProperty("succeeded").GetInt32());
        Assert.Equal(0, root.GetProperty("shards").GetProperty("resumed").GetInt32());
        Assert.True(root.GetProperty("elapsedSeconds").GetDouble() >= 0);
        Assert.Equal(3, root.GetProperty("workers").GetInt32());
        Assert.True(Directory.Exists(_cli.StateDir));
    }

    [Fact]
    public async Task Run_TextOutput_PrintsSummaryAndResultFile()
    {
        var file = _cli.Write("job.yaml", CliHarness.Job("squares", "", shards: 3));
        var resultFile = Path.Combine(_cli.Directory, "result.txt");
        var (exit, stdout, _) = await _cli.RunAsync(_kernels, "run", file, "--state-dir", _cli.StateDir, "--result-file", resultFile);

        Assert.Equal(0, exit);
        Assert.Contains("squares  scripted  Succeeded  3/3 shards", stdout, StringComparison.Ordinal);
        Assert.Contains("result  5", stdout, StringComparison.Ordinal);
        Assert.Equal("5\n", await File.ReadAllTextAsync(resultFile));
    }

    [Fact]
    public async Task Run_TransientFailures_AreRetried()
    {
        var file = _cli.Write("job.yaml", CliHarness.Job("flaky", "failFirst: \"2\"", shards: 4));
        var (exit, stdout, stderr) = await _cli.RunAsync(_kernels, "run", file, "--output", "json", "--state-dir", _cli.StateDir);

        Assert.True(exit == 0, stderr);
        Assert.Contains("\"phase\":\"Succeeded\"", stdout, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(3, _kernel.AttemptsOf(i)));
    }

    [Fact]
    public async Task Run_ShardAlwaysFails_FailsJobNamingShardAndError()
    {
        var file = _cli.Write("job.yaml", CliHarness.Job("broken", "alwaysFail: \"2\"", shards: 4));
        var (exit, stdout, stderr) = await _cli.RunAsync(_kernels, "run", file, "--output", "json", "--state-dir", _cli.StateDir);

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("Failed", json.RootElement.GetProperty("phase").GetString());
        Assert.Equal("ShardRetriesExhausted", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal("shard 2 failed after 3 attempt(s): System.InvalidOperationException: shard 2 is broken", json.RootElement.GetProperty("message").GetString());
        Assert.Contains("broken: failed: ShardRetriesExhausted", stderr, StringComparison.Ordinal);
        Assert.Equal(3, _kernel.AttemptsOf(2));
    }

    [Fact]
    public async Task Run_DeadlineExceeded_FailsWithReason()
    {
        var file = _cli.Write("job.yaml", CliHarness.Job("slow", "sleepMs: \"700\"", shards: 8, extra: "  activeDeadlineSeconds: 1"));
        var (exit, stdout, _) = await _cli.RunAsync(_kernels, "run", file, "--output", "json", "--workers", "1", "--state-dir", _cli.StateDir);

        Assert.Equal(1, exit);
        Assert.Contains("\"reason\":\"DeadlineExceeded\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SuspendedJob_StartsNothing()
    {
        var file = _cli.Write("job.yaml", CliHarness.Job("held", "", extra: "  suspend: true"));
        var (exit, stdout, _) = await _cli.RunAsync(_kernels, "run", file, "--output", "json", "--state-dir", _cli.StateDir);

        Assert.Equal(0, exit);
        Assert.Contains("\"phase\":\"Suspended\"", stdout, StringComparison.Ordinal);
        Assert.Equal(0, _kernel.AttemptsOf(0));
    }

    [Fact]
    public async Task Run_InvalidManifest_ExitsTwoAndNamesEveryField()
    {
        var file = _cli.Write("bad.yaml", CliHarness.Job("Bad_Name", "bogus: \"1\"", shards: 0));
        var (exit, stdout, stderr) = await _cli.RunAsync(_kernels, "run", file, "--state-dir", _cli.StateDir);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("bad.yaml:3:", stderr, StringComparison.Ordinal);
        Assert.Contains("metadata.name: must be", stderr, StringComparison.Ordinal);
        Assert.Contains("spec.shards: must be between 1 and 1000000, got 0", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingFile_ExitsTwoWithOneLine()
    {
        var (exit, _, stderr) = await _cli.RunAsync(_kernels, "run", Path.Combine(_cli.Directory, "nope.yaml"));

        Assert.Equal(2, exit);
        Assert.Equal($"{Path.Combine(_cli.Directory, "nope.yaml")}: cannot read the manifest: file not found", stderr.Trim());
    }

    [Theory]
    [InlineData("--workers", "0", "--workers must be at least 1")]
    [InlineData("--output", "xml", "xml")]
    public async Task Run_BadOption_ExitsTwo(string option, string value, string expected)
    {
        var file = _cli.Write("job.yaml", CliHarness.Job("x", ""));
        var (exit, _, stderr) = await _cli.RunAsync(_kernels, "run", file, option, value);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains("see: hpck8s run --help", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ExternalKernel_NeedsDaprEngine()
    {
        var file = _cli.Write("job.yaml", """
            apiVersion: hpck8s.io/v1alpha1
            kind: ComputeJob
            metadata: { name: ext }
            spec: { kernel: { appId: my-kernel, method: shard }, shards: 2 }
            """);
        var (exit, stdout, _) = await _cli.RunAsync(_kernels, "run", file, "--output", "json", "--state-dir", _cli.StateDir);

        Assert.Equal(1, exit);
        Assert.Contains("ExternalKernelUnavailable", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MultiDocument_RunsEachJob()
    {
        var file = _cli.Write("jobs.yaml", CliHarness.Job("one", "", shards: 2) + "\n---\n" + CliHarness.Job("two", "", shards: 3));
        var (exit, stdout, _) = await _cli.RunAsync(_kernels, "run", file, "--output", "json", "--state-dir", _cli.StateDir);

        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["one", "two"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Validate_ValidAndInvalid_ReportsEach()
    {
        var good = _cli.Write("good.yaml", CliHarness.Job("fine", ""));
        var bad = _cli.Write("bad.yaml", CliHarness.Job("fine", "", shards: -3));

        var (okExit, okOut, _) = await _cli.RunAsync(_kernels, "validate", good);
        var (badExit, _, badErr) = await _cli.RunAsync(_kernels, "validate", bad);

        Assert.Equal(0, okExit);
        Assert.Contains("fine: valid (scripted, 4 shard(s))", okOut, StringComparison.Ordinal);
        Assert.Equal(2, badExit);
        Assert.Contains("bad.yaml:7:11: spec.shards: must be between 1 and 1000000, got -3", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kernels_ListsParameters()
    {
        var (exit, stdout, _) = await _cli.RunAsync(_kernels, "kernels");

        Assert.Equal(0, exit);
        Assert.Contains("scripted: test kernel", stdout, StringComparison.Ordinal);
        Assert.Contains("failFirst", stdout, StringComparison.Ordinal);
    }
}
