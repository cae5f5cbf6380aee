namespace HpcK8s.Core.Kernels;

/// <summary>Cuts <c>total</c> items into <c>parts</c> contiguous ranges whose sizes differ by at most one.</summary>
/// <remarks>The first <c>total % parts</c> ranges get one item more, so the cut depends only on (total, parts).</remarks>
internal static class EvenSplit
{
    /// <summary>The 0-based start and the length of range <paramref name="index"/>.</summary>
    public static (long Start, long Count) Range(long total, int parts, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, parts);
        var size = total / parts;
        var extra = total % parts;
        var start = (index * size) + Math.Min(index, extra);
        return (start, size + (index < extra ? 1 : 0));
    }
}
