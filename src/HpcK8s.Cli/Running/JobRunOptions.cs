namespace HpcK8s.Cli.Running;

/// <summary>How a job runs on this machine.</summary>
/// <param name="Workers">Shards computed at once (further bounded by <c>spec.parallelism</c>).</param>
/// <param name="StateDir">Where the run keeps its state.</param>
/// <param name="Fresh">Discard earlier state of the same job before running.</param>
internal sealed record JobRunOptions(int Workers, string StateDir, bool Fresh);
