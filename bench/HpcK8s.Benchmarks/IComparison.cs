namespace HpcK8s.Benchmarks;

/// <summary>
/// A side-by-side measurement: our implementation against a reference program doing the same work,
/// reported as a ratio and checked against the target ratio from the issue.
/// </summary>
internal interface IComparison
{
    /// <summary>Short name used on the command line, e.g. <c>montecarlo</c>.</summary>
    string Name { get; }

    /// <summary>What is compared and the target, one line.</summary>
    string Description { get; }

    /// <summary>Runs both sides and returns the rows to print.</summary>
    IReadOnlyList<ComparisonRow> Run(ComparisonContext context);
}

/// <summary>One measured line: what, our figure, the reference figure, the ratio, and the target ratio.</summary>
internal sealed record ComparisonRow(string Case, string Metric, double Ours, double Reference, double TargetRatio, string Unit)
{
    public double Ratio => Ours / Reference;

    public bool Met => Ratio <= TargetRatio;
}

/// <summary>Shared settings: where references are built, and whether to run the quick (smaller) sizes.</summary>
internal sealed record ComparisonContext(string RepoRoot, string OutDir, bool Quick);
