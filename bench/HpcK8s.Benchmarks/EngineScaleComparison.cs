using System.Globalization;

namespace HpcK8s.Benchmarks;

/// <summary>
/// A 100,000-shard job in a fresh process: peak resident memory and peak managed heap against the 512 MiB,
/// and the largest instance history against the Dapr sidecar's default 4 MiB message limit. Target ratio 1 each.
/// </summary>
internal sealed class EngineScaleComparison : IComparison
{
    private const double MiB = 1024 * 1024;

    public string Name => "engine-scale";

    public string Description => "100,000 no-op shards: peak memory vs 512 MiB, largest history vs 4 MiB; target 1.0x";

    public IReadOnlyList<ComparisonRow> Run(ComparisonContext context)
    {
        var shards = context.Quick ? 20_000 : 100_000;
        var workers = Environment.ProcessorCount;
        var run = EngineChild.Run("noop", shards, workers, measureHistories: true);
        var label = string.Create(CultureInfo.InvariantCulture, $"{shards} no-op shards, {workers}w");
        return
        [
            new ComparisonRow(label + ", peak RSS", "memory", run.PeakWorkingSetBytes / MiB, 512, 1.0, "MiB"),
            new ComparisonRow(label + ", peak GC heap", "memory", run.PeakGcHeapBytes / MiB, 512, 1.0, "MiB"),
            new ComparisonRow(string.Create(CultureInfo.InvariantCulture, $"largest history ({run.LargestHistoryEvents} events)"), "size", run.LargestHistoryBytes / MiB, 4, 1.0, "MiB"),
        ];
    }
}
