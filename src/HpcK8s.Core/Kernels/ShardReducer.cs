namespace HpcK8s.Core.Kernels;

/// <summary>
/// Merges shard partials as they arrive, in any order, along a fixed balanced binary tree over shard indices.
/// </summary>
/// <remarks>
/// The tree's shape depends only on the shard count, so the merged value is the same whatever the arrival order,
/// and big-number kernels get balanced merges (sizes double level by level) instead of a lopsided chain.
/// A node is merged as soon as both its children are present; memory holds at most one partial per pending node.
/// Not thread-safe: callers serialise <see cref="Add"/>.
/// </remarks>
public sealed class ShardReducer
{
    private readonly Func<string, string, string> _merge;
    private readonly Dictionary<(int Start, int End), string> _pending = [];
    private readonly HashSet<int> _seen = [];

    /// <summary>Creates a reducer for <paramref name="shardCount"/> shards.</summary>
    public ShardReducer(int shardCount, Func<string, string, string> merge)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentNullException.ThrowIfNull(merge);
        ShardCount = shardCount;
        _merge = merge;
    }

    /// <summary>Number of shards the reducer expects.</summary>
    public int ShardCount { get; }

    /// <summary>Number of distinct shards added so far.</summary>
    public int Added => _seen.Count;

    /// <summary>True once every shard has been added and merged.</summary>
    public bool IsComplete => _pending.Count == 1 && _pending.ContainsKey((0, ShardCount));

    /// <summary>The merged partial of all shards; only valid when <see cref="IsComplete"/>.</summary>
    public string Result => IsComplete
        ? _pending[(0, ShardCount)]
        : throw new InvalidOperationException($"only {Added} of {ShardCount} shards have been added");

    /// <summary>Adds shard <paramref name="index"/>'s partial; a duplicate of an added shard is ignored.</summary>
    /// <returns>False when the shard had already been added.</returns>
    public bool Add(int index, string partial)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ShardCount);
        ArgumentNullException.ThrowIfNull(partial);
        if (!_seen.Add(index))
        {
            return false;
        }

        var node = (Start: index, End: index + 1);
        var value = partial;
        while (TryParent(node, out var parent, out var sibling, out var isLeft))
        {
            if (!_pending.Remove(sibling, out var siblingValue))
            {
                break;
            }

            value = isLeft ? _merge(value, siblingValue) : _merge(siblingValue, value);
            node = parent;
        }

        _pending[node] = value;
        return true;
    }

    // The tree splits [start, end) at start + (end - start) / 2, the same split binary splitting uses.
    private bool TryParent((int Start, int End) node, out (int Start, int End) parent, out (int Start, int End) sibling, out bool nodeIsLeft)
    {
        var (start, end) = (0, ShardCount);
        parent = default;
        sibling = default;
        nodeIsLeft = false;
        while (end - start > 1)
        {
            var mid = start + ((end - start) / 2);
            if (node == (start, mid))
            {
                (parent, sibling, nodeIsLeft) = ((start, end), (mid, end), true);
                return true;
            }

            if (node == (mid, end))
            {
                (parent, sibling, nodeIsLeft) = ((start, end), (start, mid), false);
                return true;
            }

            if (node.End <= mid)
            {
                end = mid;
            }
            else
            {
                start = mid;
            }
        }

        return false;
    }
}
