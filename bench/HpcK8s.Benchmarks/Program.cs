using System.Globalization;
using BenchmarkDotNet.Running;
using HpcK8s.Benchmarks;

// Usage:
//   compare [NAME ...] [--quick]   side-by-side ratios against the reference programs (default: all)
//   engine-run KERNEL SHARDS WORKERS MS WARMUP HISTORIES   one engine job in this process (the engine-* comparisons' child)
//   bdn [BenchmarkDotNet args]     the BenchmarkDotNet micro-benchmarks, e.g. bdn --filter '*'
IComparison[] comparisons =
[
    new MonteCarloComparison(),
    new DigitsComparison(),
    new LedgerComparison(),
    new EngineThroughputComparison(),
    new EngineOverheadComparison(),
    new EngineScaleComparison(),
];

if (args.Length > 0 && args[0] == EngineChild.Command)
{
    return EngineChild.RunChild(args[1..]);
}

if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(IComparison).Assembly).Run(args[1..]);
    return 0;
}

var quick = args.Contains("--quick");
var names = args.Where(a => a != "compare" && !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
var root = FindRepoRoot();
var context = new ComparisonContext(root, Path.Combine(root, "bench", "out"), quick);
var selected = comparisons.Where(c => names.Count == 0 || names.Contains(c.Name)).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"no comparison named {string.Join(", ", names)}; known: {string.Join(", ", comparisons.Select(c => c.Name))}");
    return 2;
}

var failed = 0;
Console.WriteLine($"{"case",-40} {"metric",-10} {"ours",12} {"reference",12} {"ratio",8} {"target",8}  met");
foreach (var comparison in selected)
{
    Console.WriteLine($"# {comparison.Name}: {comparison.Description}");
    foreach (var row in comparison.Run(context))
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(inv, "{0,-40} {1,-10} {2,12:0.000} {3,12:0.000} {4,8:0.00} {5,8:0.00}  {6}",
            row.Case, row.Metric + "/" + row.Unit, row.Ours, row.Reference, row.Ratio, row.TargetRatio, row.Met ? "yes" : "NO"));
        failed += row.Met ? 0 : 1;
    }
}

return failed == 0 ? 0 : 1;

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HpcK8s.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("run from inside the HpcK8s repository");
}
