using System.Globalization;

namespace HpcK8s.Benchmarks;

/// <summary>
/// No-op shards end to end through ComputeJobWorkflow on the local engine with durable history, against the issue's
/// target of 20,000 shards/s: the reference is the time the target allows for the same shards. Target ratio 1.
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
        foreach (var (label, warmup) in new[] { ("cold", 0), ("warm", 2_000) })
        {
            var run = EngineChild.Run("noop", shards, workers, warmupShards: warmup);
            rows.Add(new ComparisonRow(
                string.Create(CultureInfo.InvariantCulture, $"{shards} no-op, {workers}w, {label}: {shards / run.WallSeconds:0} shards/s, {run.Turns} turns"),
                "wall", run.WallSeconds, shards / TargetShardsPerSecond, 1.0, "s"));
        }

        return rows;
    }
}
