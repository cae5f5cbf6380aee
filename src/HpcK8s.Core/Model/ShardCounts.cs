namespace HpcK8s.Core.Model;

/// <summary>How many shards are in each state.</summary>
public sealed class ShardCounts
{
    /// <summary>All shards of the job.</summary>
    public int Total { get; set; }

    /// <summary>Shards with a result.</summary>
    public int Succeeded { get; set; }

    /// <summary>Shards that exhausted their attempts.</summary>
    public int Failed { get; set; }

    /// <summary>Shards in flight now.</summary>
    public int Running { get; set; }
}
