using System.Text.Json;
using HpcK8s.Core.Kernels;
using HpcK8s.Testing;

namespace HpcK8s.Cli.Tests;

public sealed class DurableRunTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly KernelRegistry _kernels = new([new ScriptedKernel()]);

    public void Dispose() => _cli.Dispose();

    private async Task<JsonElement> RunJsonAsync(string file, params string[] extra)
    {
        var (exit, stdout, stderr) = await _cli.RunAsync(_kernels, ["run", file, "--output", "json", "--state-dir", _cli.StateDir, .. extra]);
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public async Task Run_SecondTime_ReportsRecordedResultWithoutComputing()
    {
        var file = _cli.Write("job.yaml", CliHarness.Job("again", "", shards: 6));
        var first = await RunJsonAsync(file);
        var second = await RunJsonAsync(file);

        Assert.Equal(first.GetProperty("result").GetProperty("digest").GetString(), second.GetProperty("result").GetProperty("digest").GetString());
        Assert.Equal(0, first.GetProperty("shards").GetProperty("resumed").GetInt32());
        Assert.Equal(6, first.GetProperty("shards").GetProperty("executed").GetInt32());
        Assert.Equal(6, second.GetProperty("shards").GetProperty("resumed").GetInt32());
        Assert.Equal(0, second.GetProperty("shards").GetProperty("executed").GetInt32());
    }

    [Fact]
    public async Task Run_ChangedSpec_AsksForFresh_AndFreshStartsOver()
    {
        await RunJsonAsync(_cli.Write("job.yaml", CliHarness.Job("changing", "", shards: 3)));
        var changed = _cli.Write("job2.yaml", CliHarness.Job("changing", "", shards: 4));

        var (exit, _, stderr) = await _cli.RunAsync(_kernels, "run", changed, "--state-dir", _cli.StateDir);
        Assert.Equal(2, exit);
        Assert.Contains("different spec; run with --fresh", stderr, StringComparison.Ordinal);

        var fresh = await RunJsonAsync(changed, "--fresh");
        Assert.Equal("14", fresh.GetProperty("result").GetProperty("value").GetString());
        Assert.Equal(4, fresh.GetProperty("shards").GetProperty("executed").GetInt32());

        // The first run's ledger is kept; the new run records into a ledger of its own, which `ledger verify NAME` finds.
        var (verifyExit, verifyOut, _) = await _cli.RunAsync(_kernels, "ledger", "verify", "changing", "--state-dir", _cli.StateDir);
        Assert.Equal(0, verifyExit);
        Assert.StartsWith("changing-2: ok: 3 blocks, 6 entries", verifyOut, StringComparison.Ordinal);
        using var store = new Workflows.Ledger.SqliteLedgerStore(Workflows.Ledger.SqliteJobLedger.PathIn(_cli.StateDir));
        var first = await Core.Ledger.LedgerChain.LoadAsync(store, "changing");
        Assert.True(first.Verify().IsValid);
        Assert.Equal(5, first.Blocks.Sum(b => b.Entries.Count)); // JobAccepted, 3 shards, JobCompleted
    }

    [Fact]
    public async Task Run_RecordsLedger_ThatVerifiesExportsAndProves()
    {
        var report = await RunJsonAsync(_cli.Write("job.yaml", CliHarness.Job("audited", "", shards: 5)));
        var head = report.GetProperty("ledger").GetProperty("head").GetString();

        var (verifyExit, verifyOut, _) = await _cli.RunAsync(_kernels, "ledger", "verify", "audited", "--state-dir", _cli.StateDir);
        Assert.Equal(0, verifyExit);
        Assert.Contains($"ok: 3 blocks, 7 entries, head {head}", verifyOut, StringComparison.Ordinal);
        Assert.Contains("head matches the head recorded with the job's result", verifyOut, StringComparison.Ordinal);

        var (_, showOut, _) = await _cli.RunAsync(_kernels, "ledger", "show", "audited", "--state-dir", _cli.StateDir);
        Assert.Contains("JobAccepted scripted", showOut, StringComparison.Ordinal);
        Assert.Contains("5 × ShardCompleted", showOut, StringComparison.Ordinal);
        Assert.Contains("JobCompleted", showOut, StringComparison.Ordinal);

        var (exportExit, exported, _) = await _cli.RunAsync(_kernels, "ledger", "export", "audited", "--format", "json", "--state-dir", _cli.StateDir);
        Assert.Equal(0, exportExit);
        using var json = JsonDocument.Parse(exported);
        Assert.Equal(3, json.RootElement.GetProperty("blocks").GetArrayLength());
        Assert.Equal(5, json.RootElement.GetProperty("blocks")[1].GetProperty("entries").GetArrayLength());

        var (proofExit, proof, _) = await _cli.RunAsync(_kernels, "ledger", "proof", "audited", "--shard", "3", "--state-dir", _cli.StateDir);
        Assert.Equal(0, proofExit);
        var parsed = Core.Ledger.LedgerJson.ReadShardProof(proof);
        Assert.True(parsed.Verify(Core.Ledger.Hash256.Parse(head!), out var reason), reason);
    }

    [Fact]
    public async Task LedgerVerify_TamperedExport_NamesFirstBadBlock()
    {
        await RunJsonAsync(_cli.Write("job.yaml", CliHarness.Job("tampered", "", shards: 3)));
        var (_, exported, _) = await _cli.RunAsync(_kernels, "ledger", "export", "tampered", "--state-dir", _cli.StateDir);
        var tampered = _cli.Write("tampered.json", exported.Replace("\"attempt\": 1", "\"attempt\": 2", StringComparison.Ordinal));
        Assert.NotEqual(exported, File.ReadAllText(tampered));

        var (exit, _, stderr) = await _cli.RunAsync(_kernels, "ledger", "verify", "--file", tampered);

        Assert.Equal(1, exit);
        Assert.Contains("FAILED: block 1:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedRun_VerifiesWithItsKey_AndFailsWithAnother()
    {
        var prefix = Path.Combine(_cli.Directory, "signer");
        var other = Path.Combine(_cli.Directory, "other");
        Assert.Equal(0, (await _cli.RunAsync(_kernels, "ledger", "keygen", "--out", prefix)).Exit);
        Assert.Equal(0, (await _cli.RunAsync(_kernels, "ledger", "keygen", "--out", other)).Exit);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(prefix + ".key"));
        }

        await RunJsonAsync(_cli.Write("job.yaml", CliHarness.Job("signed", "", shards: 2)), "--signing-key", prefix + ".key");

        var (goodExit, _, _) = await _cli.RunAsync(_kernels, "ledger", "verify", "signed", "--public-key", prefix + ".pub", "--state-dir", _cli.StateDir);
        var (badExit, _, badErr) = await _cli.RunAsync(_kernels, "ledger", "verify", "signed", "--public-key", other + ".pub", "--state-dir", _cli.StateDir);
        Assert.Equal(0, goodExit);
        Assert.Equal(1, badExit);
        Assert.Contains("block 0", badErr, StringComparison.Ordinal);
        Assert.Contains("signature", badErr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Status_ListsJobsWithPhaseAndProgress()
    {
        await RunJsonAsync(_cli.Write("job.yaml", CliHarness.Job("listed", "", shards: 4)));

        var (exit, stdout, _) = await _cli.RunAsync(_kernels, "status", "--state-dir", _cli.StateDir);
        var (jsonExit, json, _) = await _cli.RunAsync(_kernels, "status", "listed", "--output", "json", "--state-dir", _cli.StateDir);

        Assert.Equal(0, exit);
        Assert.Contains("listed", stdout, StringComparison.Ordinal);
        Assert.Contains("Succeeded  4/4", stdout, StringComparison.Ordinal);
        Assert.Equal(0, jsonExit);
        Assert.Equal("Succeeded", JsonDocument.Parse(json).RootElement.GetProperty("phase").GetString());
    }

    [Fact]
    public async Task Control_UnknownJob_FailsWithReason()
    {
        await RunJsonAsync(_cli.Write("job.yaml", CliHarness.Job("done", "", shards: 1)));

        var (exit, _, stderr) = await _cli.RunAsync(_kernels, "suspend", "ghost", "--state-dir", _cli.StateDir);
        var (doneExit, _, doneErr) = await _cli.RunAsync(_kernels, "terminate", "done", "--state-dir", _cli.StateDir);

        Assert.Equal(1, exit);
        Assert.Contains("'ghost' does not exist", stderr, StringComparison.Ordinal);
        Assert.Equal(1, doneExit);
        Assert.Contains("already Completed", doneErr, StringComparison.Ordinal);
    }
}
