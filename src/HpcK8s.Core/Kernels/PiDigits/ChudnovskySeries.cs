namespace HpcK8s.Core.Kernels.PiDigits;

/// <summary>The constants and per-term factors of the Chudnovsky series, shared by both arithmetic back ends.</summary>
/// <remarks>
/// <para>pi = 426880 · sqrt(10005) · Q(0,N) / T(0,N), where for k ≥ 1</para>
/// <para>p(k) = −(6k−5)(2k−1)(6k−1), q(k) = k³·C³/24, t(k) = p(k)·(13591409 + 545140134·k),</para>
/// <para>p(0) = q(0) = 1, t(0) = 13591409, and adjacent ranges [a,m) and [m,b) combine as
/// P = P₁P₂, Q = Q₁Q₂, T = T₁Q₂ + P₁T₂. The sign of the series lives in p, so it propagates through P.</para>
/// </remarks>
internal static class ChudnovskySeries
{
    /// <summary>Decimal digits gained per term: log10(640320³ / 1728).</summary>
    public const double DigitsPerTerm = 14.181647462725477;

    /// <summary>Constant term of the linear factor.</summary>
    public const ulong A = 13591409;

    /// <summary>Slope of the linear factor.</summary>
    public const ulong B = 545140134;

    /// <summary>640320³ / 24.</summary>
    public const ulong C3Over24 = 10939058860032000;

    /// <summary>The multiplier of sqrt(10005): 640320^(3/2) / 12 = 426880 · sqrt(10005).</summary>
    public const ulong SqrtMultiplier = 426880;

    /// <summary>The radicand.</summary>
    public const ulong Radicand = 10005;

    /// <summary>Number of terms whose truncation error is below 10^-(workDigits + 14).</summary>
    /// <remarks>Matches bench/reference/chudnovsky_gmp.c, so both compute the same integers.</remarks>
    public static long TermsFor(long workDigits) => (long)(workDigits / DigitsPerTerm) + 2;

    /// <summary>|p(k)| = (6k−5)(2k−1)(6k−1) for k ≥ 1 (fits 128 bits far beyond any supported k).</summary>
    public static UInt128 PMagnitude(long k) => (UInt128)(ulong)((6 * k) - 5) * (ulong)((2 * k) - 1) * (ulong)((6 * k) - 1);

    /// <summary>13591409 + 545140134·k.</summary>
    public static ulong Linear(long k) => A + (B * (ulong)k);
}
