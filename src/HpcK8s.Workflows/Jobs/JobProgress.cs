namespace HpcK8s.Workflows.Jobs;

/// <summary>Progress published as custom status on every turn of the job and batch workflows.</summary>
/// <param name="Total">Shards in scope (the job's, or the batch's).</param>
/// <param name="Succeeded">Shards with a result.</param>
/// <param name="Failed">Shards that exhausted their attempts.</param>
/// <param name="Running">Shards in flight (for the job: shards of batches in flight that have no result yet).</param>
public sealed record JobProgress(int Total, int Succeeded, int Failed, int Running);
