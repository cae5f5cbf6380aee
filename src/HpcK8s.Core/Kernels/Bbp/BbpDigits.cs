using System.Runtime.CompilerServices;

namespace HpcK8s.Core.Kernels.Bbp;

/// <summary>
/// Hexadecimal digits of pi at any position by the Bailey–Borwein–Plouffe formula, in exact integer arithmetic:
/// every digit returned is proven correct by an explicit error bound.
/// </summary>
/// <remarks>
/// <para>The digits from 1-based position <c>n + 1</c> on are the leading hex digits of frac(16^n·π), and
/// π = Σₖ 16^-k·(4/(8k+1) − 2/(8k+4) − 1/(8k+5) − 1/(8k+6)). Folding the coefficients and the factor 2 of the even
/// denominators into powers of two leaves only odd moduli:
/// frac(16^n·π) = frac(Σₖ 2^(4(n−k)+2)/(8k+1) − 2^(4(n−k)−1)/(2k+1) − 2^(4(n−k))/(8k+5) − 2^(4(n−k)−1)/(4k+3)).</para>
/// <para>For k &lt; n each term's fractional part is (2^e mod m)/m: the power by left-to-right binary exponentiation
/// in 32-bit Montgomery arithmetic (m &lt; 2^31, so every intermediate fits in 64 bits), the quotient to 128 bits by
/// exact long division in 32-bit steps. For k ≥ n the terms are below 1 and are divided directly until they vanish
/// below 2^-130. All fractions are summed modulo 1 in 128-bit fixed point (<see cref="UInt128"/>, wrapping).</para>
/// <para>Error: each term is truncated by less than one unit of 2^-128 and the dropped tail is below one unit, so
/// the computed sum is within E = (terms + 1) units of the truth (E &lt; 2^31 for every supported position). A leading
/// digit string is kept only if no digit boundary lies within E of the computed value, so every digit kept is
/// exact; at most <see cref="DigitsPerEvaluation"/> digits (96 bits) come from one evaluation, leaving at least 32
/// guard bits. When the guard region is ambiguous (…ffff or …0000 straddling the boundary) fewer digits are kept
/// and the next evaluation starts at the first digit not kept.</para>
/// </remarks>
internal static class BbpDigits
{
    /// <summary>Most hex digits one evaluation yields.</summary>
    internal const int DigitsPerEvaluation = 24;

    /// <summary>
    /// The largest 1-based position an evaluation may start at: its largest modulus 8(n−1)+5 must stay below 2^31 for
    /// the 32-bit Montgomery arithmetic.
    /// </summary>
    internal const long MaxEvaluationPosition = 268_435_456;

    private const uint ChunkBits = 32;

    /// <summary>Computes <paramref name="count"/> hex digits (lowercase) starting at 1-based <paramref name="position"/>.</summary>
    internal static string Digits(long position, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position + count - 1, MaxEvaluationPosition);
        var digits = new char[count];
        var filled = 0;
        while (filled < count)
        {
            var start = position + filled;
            var fraction = FractionOfPiTimes16Pow(start - 1, allowVector: true, out var errorUnits, cancellationToken);
            var safe = SafeDigitCount(fraction, errorUnits);
            if (safe == 0)
            {
                // Needs 23+ consecutive 0 or f digits right after this position; not seen in pi's known digits.
                throw new InvalidOperationException($"pi-bbp: the digit at position {start} could not be proven with 128-bit arithmetic (error bound {errorUnits}·2^-128 straddles a digit boundary)");
            }

            var take = Math.Min(safe, count - filled);
            for (var i = 0; i < take; i++)
            {
                var digit = (int)(fraction >> (124 - (4 * i))) & 0xF;
                digits[filled + i] = "0123456789abcdef"[digit];
            }

            filled += take;
        }

        return new string(digits);
    }

    /// <summary>
    /// How many leading hex digits of <paramref name="fraction"/> (units of 2^-128) are certain when the true value is
    /// within <paramref name="errorUnits"/> units of it: the largest k ≤ <see cref="DigitsPerEvaluation"/> such that the
    /// interval (fraction − E, fraction + E) contains no multiple of 16^-k.
    /// </summary>
    internal static int SafeDigitCount(UInt128 fraction, ulong errorUnits)
    {
        for (var k = DigitsPerEvaluation; k >= 1; k--)
        {
            var size = UInt128.One << (128 - (4 * k));
            var below = fraction & (size - 1);
            if (below >= errorUnits && size - below > errorUnits)
            {
                return k;
            }
        }

        return 0;
    }

    /// <summary>
    /// frac(16^<paramref name="n"/>·π) in units of 2^-128, within <paramref name="errorUnits"/> units of the truth
    /// (modulo 1).
    /// </summary>
    /// <remarks>
    /// <paramref name="allowVector"/> false forces the scalar code (tests compare both); the result is the same.
    /// </remarks>
    internal static UInt128 FractionOfPiTimes16Pow(long n, bool allowVector, out ulong errorUnits, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, MaxEvaluationPosition - 1);
        UInt128 sum = 0;
        ulong terms;
        unchecked
        {
            var vectorEnd = allowVector && BbpVector512.IsSupported ? n & ~3L : 0;
            if (vectorEnd > 0)
            {
                sum = BbpVector512.Sum(n, 0, vectorEnd, cancellationToken);
            }

            sum += SumScalar(n, vectorEnd, n, cancellationToken);
            terms = 4 * (ulong)n;
            for (var k = n; ; k++)
            {
                var e = 4 * (n - k);
                if (e + 2 < -130)
                {
                    break;
                }

                var m = (ulong)k;
                sum += Small(e + 2, (8 * m) + 1);
                sum -= Small(e - 1, (2 * m) + 1);
                sum -= Small(e, (8 * m) + 5);
                sum -= Small(e - 1, (4 * m) + 3);
                terms += 4;
            }
        }

        // The terms left out are each below 2^-129 and shrink 16-fold, so together they stay below one unit.
        errorUnits = terms + 1;
        return sum;
    }

    /// <summary>The signed sum of the 128-bit fractions of the terms k in [<paramref name="start"/>, <paramref name="end"/>), end ≤ n.</summary>
    internal static UInt128 SumScalar(long n, long start, long end, CancellationToken cancellationToken)
    {
        UInt128 sum = 0;
        unchecked
        {
            for (var k = start; k < end; k++)
            {
                if ((k & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var e = 4 * (ulong)(n - k);
                var m = (ulong)k;
                sum += Fraction(PowMod2(e + 2, (8 * m) + 1), (8 * m) + 1);
                sum -= Fraction(PowMod2(e - 1, (2 * m) + 1), (2 * m) + 1);
                sum -= Fraction(PowMod2(e, (8 * m) + 5), (8 * m) + 5);
                sum -= Fraction(PowMod2(e - 1, (4 * m) + 3), (4 * m) + 3);
            }
        }

        return sum;
    }

    /// <summary>2^<paramref name="e"/> mod <paramref name="m"/> for odd m below 2^31.</summary>
    internal static ulong PowMod2(ulong e, ulong m)
    {
        if (m == 1)
        {
            return 0;
        }

        unchecked
        {
            var negInverse = NegativeInverse((uint)m);
            var bits = 64 - (int)ulong.LeadingZeroCount(e);
            var shift = Math.Max(bits - 5, 0);

            // Montgomery form (·2^32 mod m) of 2^top, top < 32: one division instead of converting 1 and squaring up.
            var y = (1UL << (int)((e >> shift) + ChunkBits)) % m;
            for (var i = shift - 1; i >= 0; i--)
            {
                // Branch-free: the exponent's bits are random, a branch on them mispredicts half the time.
                y = Reduce(y * y, m, negInverse) << (int)((e >> i) & 1);
                y = SubtractIfAtLeast(y, m);
            }

            return Reduce(y, m, negInverse);
        }
    }

    /// <summary>floor(<paramref name="r"/>·2^128 / <paramref name="m"/>) for r &lt; m &lt; 2^31: the 128-bit fixed-point fraction r/m.</summary>
    internal static UInt128 Fraction(ulong r, ulong m)
    {
        if (r == 0)
        {
            return 0;
        }

        unchecked
        {
            // Each 32-bit quotient digit is estimated in double (relative error ≤ 2^-52, so off by at most one) and
            // corrected exactly with integer arithmetic.
            var inverse = 1.0 / m;
            ulong hi = 0;
            ulong lo = 0;
            var rem = r;
            for (var i = 0; i < 4; i++)
            {
                var num = rem << 32;
                var q = (ulong)(num * inverse);
                var t = (long)(num - (q * m));
                if (t < 0)
                {
                    q--;
                    t += (long)m;
                }
                else if (t >= (long)m)
                {
                    q++;
                    t -= (long)m;
                }

                rem = (ulong)t;
                hi = (hi << 32) | (lo >> 32);
                lo = (lo << 32) | q;
            }

            return new UInt128(hi, lo);
        }
    }

    // frac(2^e / m) in units of 2^-128 for the tail terms (e small or negative, odd m).
    private static UInt128 Small(long e, ulong m)
    {
        if (e >= 0)
        {
            return Fraction((1UL << (int)e) % m, m);
        }

        return e < -128 ? UInt128.Zero : (UInt128.One << (int)(128 + e)) / m;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Reduce(ulong t, ulong m, uint negInverse)
    {
        unchecked
        {
            // t < m^2 < 2^62 and u·m < 2^63: the sum fits, and the result is below 2m.
            var u = (uint)t * negInverse;
            var r = (t + ((ulong)u * m)) >> 32;
            return SubtractIfAtLeast(r, m);
        }
    }

    // r − m when r ≥ m, else r; for r < 2m < 2^32, without a data-dependent branch.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractIfAtLeast(ulong r, ulong m)
    {
        unchecked
        {
            var d = r - m;
            return d + (m & (ulong)((long)d >> 63));
        }
    }

    // −m^-1 mod 2^32 by Newton's iteration; m·m ≡ 1 (mod 8) seeds 3 correct bits, each step doubles them.
    private static uint NegativeInverse(uint m)
    {
        unchecked
        {
            var inverse = m;
            for (var i = 0; i < 4; i++)
            {
                inverse *= 2 - (m * inverse);
            }

            return 0 - inverse;
        }
    }
}
