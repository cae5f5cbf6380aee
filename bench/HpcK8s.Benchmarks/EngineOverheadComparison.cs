using System.Globalization;

namespace HpcK8s.Benchmarks;

/// <summary>
/// Engine overhead on real work: shards that each spin a known time, run on a fixed number of workers. The reference
/// is the ideal (total shard time / workers) plus the 0.5 s allowance; target ratio 1.03. Runs cold (a fresh
/// process, JIT included), as <c>hpck8s run</c> does; best of three runs, since the machine is shared.
/// </summary>
internal sealed class EngineOverheadComparison : IComparison
{
    public string Name => "engine-overhead";

    public string Description => "shards spinning a known time on N workers: wall vs total/workers + 0.5 s; target 1.03x";

    public IReadOnlyList<ComparisonRow> Run(ComparisonContext context)
    {
        var shards = context.Quick ? 40 : 200;
        const int Milliseconds = 50;
        const int Workers = 2;
        var ideal = shards * Milliseconds / 1000.0 / Workers;
        var runs = context.Quick ? 1 : 3;
        var run = EngineChild.Best(runs, "burn", shards, Workers, Milliseconds);
        return
        [
            new ComparisonRow(
                string.Create(CultureInfo.InvariantCulture, $"{shards} x {Milliseconds} ms, {Workers}w, ideal {ideal:0.0} s, best of {runs}"),
                "wall", run.WallSeconds, ideal + 0.5, 1.03, "s"),
        ];
    }
}
