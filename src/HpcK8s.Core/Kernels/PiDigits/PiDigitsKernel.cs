using System.Globalization;
using HpcK8s.Core.Numerics;
using HpcK8s.Core.Validation;

namespace HpcK8s.Core.Kernels.PiDigits;

/// <summary>
/// <c>pi-digits</c>: exact decimal digits of pi by the Chudnovsky series with binary splitting. Each shard computes the
/// (P, Q, T) triple of a contiguous range of terms; partials merge in a tree; <see cref="Finish"/> takes one square
/// root and one division and prints <c>3.</c> followed by exactly <c>digits</c> digits, truncated, never rounded.
/// </summary>
/// <remarks>
/// <para>Big integers go through the system GMP library (<c>libgmp.so.10</c>) when it loads; otherwise a managed
/// <see cref="System.Numerics.BigInteger"/> fallback computes the same integers, up to <see cref="ManagedMaxDigits"/>
/// digits. Beyond that, shards fail with an error that says how to install GMP. That check happens where the work
/// runs, not in <see cref="Validate"/>, because the process that validates (the operator) need not be the one that
/// computes (a worker).</para>
/// <para>Partials are <c>pi-digits/1;start;end;P;Q;T</c>, numbers in base64 of their little-endian magnitude, so GMP
/// and managed processes can exchange them. P is left out of ranges that end at the last term: nothing needs it.</para>
/// <para>Cost, measured with GMP on one core of a shared 2-core machine, whole job in one process (64 shards):
/// 1,000,000 digits about 0.5 s and 0.15 GB; 10,000,000 digits about 10 s and 0.75 GB; 100,000,000 digits (the
/// maximum) about 6 minutes and 8 GB peak, the merged partial alone being 275 million characters. Size the memory of
/// the process that merges and finishes accordingly.</para>
/// </remarks>
public sealed class PiDigitsKernel : IComputeKernel
{
    /// <summary>The largest <c>digits</c> accepted.</summary>
    public const long MaxDigits = 100_000_000;

    /// <summary>The largest <c>digits</c> the managed fallback computes.</summary>
    /// <remarks>
    /// Measured on one core: 100,000 digits take about 0.5 s managed (0.03 s with GMP), but 1,000,000 take about
    /// 30 s (0.5 s with GMP), nearly all of it BigInteger division and decimal conversion.
    /// </remarks>
    public const long ManagedMaxDigits = 100_000;

    /// <summary>Extra digits computed beyond those printed, so that truncation is exact.</summary>
    public const int GuardDigits = 20;

    private const string DigitsParameter = "digits";

    private readonly PiDigitsArithmetic _arithmetic;

    /// <summary>Creates the kernel with <see cref="PiDigitsArithmetic.Auto"/>.</summary>
    public PiDigitsKernel()
        : this(PiDigitsArithmetic.Auto)
    {
    }

    /// <summary>Creates the kernel with a chosen arithmetic (tests and benchmarks pin one).</summary>
    public PiDigitsKernel(PiDigitsArithmetic arithmetic)
    {
        if (!Enum.IsDefined(arithmetic))
        {
            throw new ArgumentOutOfRangeException(nameof(arithmetic), arithmetic, "unknown arithmetic");
        }

        _arithmetic = arithmetic;
    }

    /// <inheritdoc />
    public string Name => "pi-digits";

    /// <inheritdoc />
    public string Summary => "Exact decimal digits of pi (Chudnovsky series, binary splitting, GMP)";

    /// <inheritdoc />
    public IReadOnlyList<KernelParameter> Parameters { get; } =
    [
        new KernelParameter(
            DigitsParameter,
            $"integer 1..{MaxDigits.ToString("N0", CultureInfo.InvariantCulture)}",
            Required: true,
            Default: null,
            $"Decimal digits after the point, truncated. Above {ManagedMaxDigits.ToString("N0", CultureInfo.InvariantCulture)} the workers need GMP (libgmp.so.10)."),
    ];

    /// <summary>Number of Chudnovsky terms summed for <paramref name="digits"/> digits (about digits / 14.18).</summary>
    public static long TermsFor(long digits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, MaxDigits);
        return ChudnovskySeries.TermsFor(digits + GuardDigits);
    }

    /// <inheritdoc />
    public IReadOnlyList<ValidationError> Validate(KernelJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var errors = new List<ValidationError>();
        KernelParameterReader.RejectUnknown(job, Parameters, errors);
        var digits = KernelParameterReader.ReadInt64(job, DigitsParameter, 1, MaxDigits, null, errors);
        if (job.Shards < 1)
        {
            errors.Add(new ValidationError("spec.shards", $"must be at least 1, got {job.Shards}"));
        }
        else if (digits is { } d && job.Shards > TermsFor(d))
        {
            var terms = TermsFor(d).ToString("N0", CultureInfo.InvariantCulture);
            errors.Add(new ValidationError(
                "spec.shards",
                $"must be at most {terms} for {d.ToString("N0", CultureInfo.InvariantCulture)} digits (each shard needs at least one of the {terms} series terms), got {job.Shards.ToString("N0", CultureInfo.InvariantCulture)}"));
        }

        return errors;
    }

    /// <inheritdoc />
    public string DescribeShard(KernelJob job, int index)
    {
        var (start, end, terms) = ShardRange(job, index);
        return $"terms {start}..{end - 1} of {terms}";
    }

    /// <inheritdoc />
    public string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken)
    {
        var (start, end, terms) = ShardRange(job, index);
        var arithmetic = SelectArithmetic(Digits(job));
        return arithmetic.Compute(start, end, needP: end < terms, cancellationToken).Format();
    }

    /// <inheritdoc />
    public string Merge(KernelJob job, string left, string right)
    {
        var terms = TermsFor(Digits(job));
        var l = TermRange.Parse(left, "left");
        var r = TermRange.Parse(right, "right");
        if (l.End != r.Start)
        {
            throw new InvalidOperationException(
                $"pi-digits: cannot merge {l.Describe()} with {r.Describe()}: ranges must be adjacent, the left one ending where the right one starts");
        }

        if (r.End > terms)
        {
            throw new InvalidOperationException($"pi-digits: partial {r.Describe()} lies beyond the {terms} terms of this job; was it computed for another digit count?");
        }

        return SelectArithmetic(Digits(job)).Combine(l, r, needP: r.End < terms).Format();
    }

    /// <inheritdoc />
    public KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken)
    {
        var digits = Digits(job);
        var terms = TermsFor(digits);
        var whole = TermRange.Parse(merged, "merged");
        if (whole.Start != 0 || whole.End != terms)
        {
            throw new InvalidOperationException($"pi-digits: the merged partial covers {whole.Describe()}, but the job needs terms 0..{terms - 1}");
        }

        var arithmetic = SelectArithmetic(digits);
        var workDigits = digits + GuardDigits;
        var scaled = arithmetic.ScaledPi(whole, workDigits, cancellationToken);
        if (scaled.Length != workDigits + 1 || scaled[0] != '3')
        {
            throw new InvalidOperationException($"pi-digits: internal error, the scaled result has {scaled.Length} digits, expected {workDigits + 1} starting with 3");
        }

        // scaled is within a few units of pi·10^work. Truncation is exact unless the guard digits sit within ten
        // units of a digit boundary (all but the last 0, or all 9), which no known prefix of pi does.
        var guard = scaled.AsSpan(1 + (int)digits, GuardDigits - 1);
        if (!guard.ContainsAnyExcept('0') || !guard.ContainsAnyExcept('9'))
        {
            throw new InvalidOperationException($"pi-digits: the {GuardDigits} guard digits after digit {digits} are too close to a boundary to truncate safely; please report this digit count");
        }

        var value = string.Create((int)digits + 2, scaled, static (span, source) =>
        {
            span[0] = '3';
            span[1] = '.';
            source.AsSpan(1, span.Length - 2).CopyTo(span[2..]);
        });
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["digits"] = digits.ToString(CultureInfo.InvariantCulture),
            ["terms"] = terms.ToString(CultureInfo.InvariantCulture),
            ["guardDigits"] = GuardDigits.ToString(CultureInfo.InvariantCulture),
            ["arithmetic"] = arithmetic.Name,
        };
        return new KernelResult(value, details);
    }

    private static long Digits(KernelJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return KernelParameterReader.GetInt64(job, DigitsParameter, 0);
    }

    private static (long Start, long End, long Terms) ShardRange(KernelJob job, int index)
    {
        var terms = TermsFor(Digits(job));
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, job.Shards);
        return (terms * index / job.Shards, terms * (index + 1) / job.Shards, terms);
    }

    private IChudnovskyArithmetic SelectArithmetic(long digits)
    {
        var gmpWanted = _arithmetic != PiDigitsArithmetic.Managed;
        if (gmpWanted && GmpLibrary.IsAvailable)
        {
            return GmpChudnovskyArithmetic.Instance;
        }

        if (_arithmetic == PiDigitsArithmetic.Gmp || digits > ManagedMaxDigits)
        {
            var why = gmpWanted
                ? $"{GmpLibrary.LoadError}"
                : "this kernel was configured to use managed arithmetic only";
            var limit = _arithmetic == PiDigitsArithmetic.Gmp
                ? "this kernel was configured to require GMP"
                : $"the managed fallback computes at most {ManagedMaxDigits.ToString("N0", CultureInfo.InvariantCulture)} digits";
            throw new InvalidOperationException(
                $"pi-digits: {digits.ToString("N0", CultureInfo.InvariantCulture)} digits need the GMP library ({GmpLibrary.LibraryName}), and {limit}; GMP is not usable here: {why}. To fix it, {GmpLibrary.InstallHint}, or ask for at most {ManagedMaxDigits.ToString("N0", CultureInfo.InvariantCulture)} digits.");
        }

        return ManagedChudnovskyArithmetic.Instance;
    }
}
