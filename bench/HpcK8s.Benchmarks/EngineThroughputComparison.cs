using System.Globalization;

namespace HpcK8s.Benchmarks;

/// <summary>
/// No-op shards end to end through ComputeJobWorkflow on the local engine with durable history, against the issue's
/// target of 20,000 shards/s: the reference is the time the target allows for the same shards. Target ratio 1.
/// Cold is a job in a fresh process (JIT included), warm follows a 2,000-shard job in the same process; each is the
/// best of three runs, since the machine is shared.
/// </summary>
internal sealed class EngineThroughputComparison : IComparison
{
    private const double TargetShardsPerSecond = 20_000;

    public string Name => "engine-throughput";

    public string Description => "no-op shards through the local engine (SQLite history), wall vs the 20,000 shards/s target's time; target 1.0x";

    public IReadOnlyList<ComparisonRow> Run(ComparisonContext context)
    {
        var shards = context.Quick ? 20_000 : 100_000;
        var workers = Environment.ProcessorCount;
        var rows = new List<ComparisonRow>();
        var runs = context.Quick ? 1 : 3;
        foreach (var (label, warmup) in new[] { ("cold", 0), ("warm", 2_000) })
        {
            var run = EngineChild.Best(runs, "noop", shards, workers, warmupShards: warmup);
            rows.Add(new ComparisonRow(
                string.Create(CultureInfo.InvariantCulture, $"{shards} no-op, {workers}w, {label}, best of {runs}: {shards / run.WallSeconds:0}/s"),
                "wall", run.WallSeconds, shards / TargetShardsPerSecond, 1.0, "s"));
        }

        return rows;
    }
}
