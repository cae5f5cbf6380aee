using System.Buffers;
using System.Globalization;
using HpcK8s.Core.Validation;

namespace HpcK8s.Core.Kernels.Bbp;

/// <summary>
/// <c>pi-bbp</c>: hexadecimal digits of pi starting at any position, by the Bailey–Borwein–Plouffe formula; each
/// shard computes a contiguous range of positions.
/// </summary>
/// <remarks>
/// <para>Positions are 1-based after the point: <c>position: 1, count: 8</c> gives <c>243f6a88</c>. Every digit is
/// exact (see <see cref="BbpDigits"/> for the error bound), not merely likely.</para>
/// <para>Partial: <c>start:digits</c>, the 1-based position of the chunk's first digit and its lowercase hex digits.
/// Merge concatenates adjacent chunks (left's end + 1 = right's start) and rejects anything else.</para>
/// <para>Cost grows linearly with the position: one evaluation (up to 24 digits) at position 10^7 takes about a
/// second on one core.</para>
/// </remarks>
public sealed class PiBbpKernel : IComputeKernel
{
    /// <summary>The largest <c>position</c> accepted (the 32-bit modular arithmetic allows up to 2^28 − count).</summary>
    public const long MaxPosition = 250_000_000;

    /// <summary>The largest <c>count</c> accepted.</summary>
    public const long MaxCount = 1_000_000;

    private const string PositionName = "position";
    private const string CountName = "count";
    private const long DefaultCount = 8;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    /// <inheritdoc />
    public string Name => "pi-bbp";

    /// <inheritdoc />
    public string Summary => "Hexadecimal digits of pi at any position (Bailey–Borwein–Plouffe), exact.";

    /// <inheritdoc />
    public IReadOnlyList<KernelParameter> Parameters { get; } =
    [
        new(PositionName, "integer 1..250000000", true, null, "1-based index of the first hex digit after the point."),
        new(CountName, "integer 1..1000000", false, "8", "Number of hex digits."),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ValidationError> Validate(KernelJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var errors = new List<ValidationError>();
        KernelParameterReader.RejectUnknown(job, Parameters, errors);
        KernelParameterReader.ReadInt64(job, PositionName, 1, MaxPosition, null, errors);
        var count = KernelParameterReader.ReadInt64(job, CountName, 1, MaxCount, DefaultCount, errors);
        if (job.Shards < 1)
        {
            errors.Add(new ValidationError("spec.shards", $"must be at least 1, got {job.Shards}"));
        }
        else if (count is { } n && job.Shards > n)
        {
            errors.Add(new ValidationError("spec.shards", $"must not exceed {KernelParameterReader.PathOf(CountName)} ({n}): every shard needs at least one digit, got {job.Shards}"));
        }

        return errors;
    }

    /// <inheritdoc />
    public string DescribeShard(KernelJob job, int index)
    {
        var (first, count) = RangeOf(job, index);
        return string.Create(CultureInfo.InvariantCulture, $"hex digits at positions {first}..{first + count - 1}");
    }

    /// <inheritdoc />
    public string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken)
    {
        var (first, count) = RangeOf(job, index);
        var digits = BbpDigits.Digits(first, (int)count, cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"{first}:{digits}");
    }

    /// <inheritdoc />
    public string Merge(KernelJob job, string left, string right)
    {
        var (leftStart, leftDigits) = Parse(left);
        var (rightStart, rightDigits) = Parse(right);
        if (leftStart + leftDigits.Length != rightStart)
        {
            throw new InvalidOperationException(
                $"pi-bbp: cannot merge digits at positions {leftStart}..{leftStart + leftDigits.Length - 1} with digits starting at {rightStart}: partials must be adjacent, left before right");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{leftStart}:{leftDigits}{rightDigits}");
    }

    /// <inheritdoc />
    public KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var (start, digits) = Parse(merged);
        var position = KernelParameterReader.GetInt64(job, PositionName, 1);
        var count = KernelParameterReader.GetInt64(job, CountName, DefaultCount);
        if (start != position || digits.Length != count)
        {
            throw new InvalidOperationException(
                $"pi-bbp: the merged partial holds {digits.Length} digits from position {start} but the job asked for {count} from {position}; a shard is missing or was merged twice");
        }

        var inv = CultureInfo.InvariantCulture;
        return new KernelResult(
            digits,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["position"] = position.ToString(inv),
                ["count"] = count.ToString(inv),
            });
    }

    // 1-based first position and length of shard index's chunk.
    private static (long First, long Count) RangeOf(KernelJob job, int index)
    {
        ArgumentNullException.ThrowIfNull(job);
        var position = KernelParameterReader.GetInt64(job, PositionName, 1);
        var (offset, count) = EvenSplit.Range(KernelParameterReader.GetInt64(job, CountName, DefaultCount), job.Shards, index);
        return (position + offset, count);
    }

    private static (long Start, string Digits) Parse(string partial)
    {
        ArgumentNullException.ThrowIfNull(partial);
        var colon = partial.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0
            && long.TryParse(partial.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            && start >= 1
            && colon + 1 < partial.Length
            && partial.AsSpan(colon + 1).IndexOfAnyExcept(HexDigits) < 0)
        {
            return (start, partial[(colon + 1)..]);
        }

        throw new FormatException($"pi-bbp: a partial must be 'start:hexdigits' (1-based start, lowercase digits), got '{Shorten(partial)}'");
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
