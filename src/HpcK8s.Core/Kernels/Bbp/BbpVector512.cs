using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HpcK8s.Core.Kernels.Bbp;

/// <summary>
/// The modular part of <see cref="BbpDigits"/> (terms k &lt; n) with AVX-512: 16 terms per step, same arithmetic
/// and the same truncation per term, so the sum is bit-identical to the scalar code.
/// </summary>
/// <remarks>
/// <para>A block covers k0..k0+3: lanes hold the four odd moduli (8k+1, 2k+1, 8k+5, 4k+3) of two k's per vector.
/// All 16 powers share the smallest exponent Ec = 4(n − k0 − 3) − 1, so the square-and-double steps are the same in
/// every lane (no per-lane control flow); each lane's missing factor 2^s (s ≤ 15) is applied in the final
/// Montgomery reduction, REDC(y·2^s) = 2^(Ec+s) mod m, which also leaves Montgomery form.</para>
/// <para>Montgomery arithmetic with R = 2^32 uses vpmuludq (32×32→64); values stay below 2^31. The 128-bit
/// fractions floor(r·2^128/m) are four 32-bit long-division digits, estimated in double and corrected exactly;
/// they are summed per digit position in signed 64-bit lanes (each lane adds at most 2^26 digits below 2^32, so
/// nothing overflows) and carried together at the end.</para>
/// </remarks>
internal static class BbpVector512
{
    /// <summary>Whether this path can run here.</summary>
    internal static bool IsSupported =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512DQ.IsSupported;

    /// <summary>
    /// Sums the signed 128-bit fractions of the terms k in [<paramref name="start"/>, <paramref name="end"/>) for
    /// frac(16^n·π); start and end must be multiples of 4, end at most <paramref name="n"/>.
    /// </summary>
    internal static UInt128 Sum(long n, long start, long end, CancellationToken cancellationToken)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("AVX-512 F and DQ are required for this path");
        }

        if (start % 4 != 0 || end % 4 != 0 || end > n)
        {
            throw new ArgumentOutOfRangeException(nameof(end), "start and end must be multiples of 4 with end <= n");
        }

        var acc0 = Vector512<long>.Zero;
        var acc1 = Vector512<long>.Zero;
        var acc2 = Vector512<long>.Zero;
        var acc3 = Vector512<long>.Zero;
        var laneK = Vector512.Create(0L, 0, 0, 0, 1, 1, 1, 1);
        var factor = Vector512.Create(8L, 2, 8, 4, 8, 2, 8, 4);
        var offset = Vector512.Create(1L, 1, 5, 3, 1, 1, 5, 3);
        var negative = Vector512.Create(0L, -1, -1, -1, 0, -1, -1, -1);
        var shiftA = Vector512.Create(15UL, 12, 13, 12, 11, 8, 9, 8);
        var shiftB = Vector512.Create(7UL, 4, 5, 4, 3, 0, 1, 0);
        for (var k0 = start; k0 < end; k0 += 4)
        {
            if ((k0 & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var mA = ((Vector512.Create(k0) + laneK) * factor) + offset;
            var mB = ((Vector512.Create(k0 + 2) + laneK) * factor) + offset;
            var exponent = (ulong)((4 * (n - k0 - 3)) - 1);
            var (rA, rB) = PowMod2(exponent, mA.AsUInt64(), mB.AsUInt64(), shiftA, shiftB, out var invA, out var invB);
            Accumulate(rA, mA.AsUInt64(), invA, negative, ref acc0, ref acc1, ref acc2, ref acc3);
            Accumulate(rB, mB.AsUInt64(), invB, negative, ref acc0, ref acc1, ref acc2, ref acc3);
        }

        unchecked
        {
            var total = (UInt128)(Int128)Vector512.Sum(acc0) << 96;
            total += (UInt128)(Int128)Vector512.Sum(acc1) << 64;
            total += (UInt128)(Int128)Vector512.Sum(acc2) << 32;
            total += (UInt128)(Int128)Vector512.Sum(acc3);
            return total;
        }
    }

    // 2^(e + shift) mod m per lane, for two vectors at once (independent chains for the out-of-order core).
    private static (Vector512<ulong> A, Vector512<ulong> B) PowMod2(
        ulong e,
        Vector512<ulong> mA,
        Vector512<ulong> mB,
        Vector512<ulong> shiftA,
        Vector512<ulong> shiftB,
        out Vector512<double> invA,
        out Vector512<double> invB)
    {
        var niA = NegativeInverse(mA);
        var niB = NegativeInverse(mB);
        invA = Vector512<double>.One / Vector512.ConvertToDouble(mA);
        invB = Vector512<double>.One / Vector512.ConvertToDouble(mB);

        // Start from the top (up to) 4 bits: Montgomery form of 2^top is 2^(32+top) mod m, quotient below 2^47.
        var bits = 64 - (int)ulong.LeadingZeroCount(e);
        var shift = Math.Max(bits - 4, 0);
        var start = (ulong)1 << (int)(32 + (e >> shift));
        var yA = Remainder(start, mA, invA);
        var yB = Remainder(start, mB, invB);
        for (var i = shift - 1; i >= 0; i--)
        {
            var bit = (int)((e >> i) & 1);
            yA = SubtractIfAtLeast(Reduce(Square(yA), mA, niA) << bit, mA);
            yB = SubtractIfAtLeast(Reduce(Square(yB), mB, niB) << bit, mB);
        }

        var rA = Reduce(Avx512F.ShiftLeftLogicalVariable(yA, shiftA), mA, niA);
        var rB = Reduce(Avx512F.ShiftLeftLogicalVariable(yB, shiftB), mB, niB);
        return (rA, rB);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Square(Vector512<ulong> y) => Avx512F.Multiply(y.AsUInt32(), y.AsUInt32());

    // Montgomery reduction t·2^-32 mod m for t < m·2^32, m < 2^31: vpmuludq reads only the low 32 bits of each
    // lane, which is exactly the "mod 2^32" the algorithm needs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Reduce(Vector512<ulong> t, Vector512<ulong> m, Vector512<ulong> negInverse)
    {
        var u = Avx512F.Multiply(t.AsUInt32(), negInverse.AsUInt32());
        var r = Vector512.ShiftRightLogical(t + Avx512F.Multiply(u.AsUInt32(), m.AsUInt32()), 32);
        return SubtractIfAtLeast(r, m);
    }

    // r − m where r ≥ m, else r, for r < 2m < 2^32: viewed as 32-bit halves, a wrapped r − m is larger than r in
    // the low half and 0xffffffff against 0 in the high half, so an unsigned 32-bit minimum picks the right lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> SubtractIfAtLeast(Vector512<ulong> r, Vector512<ulong> m) =>
        Vector512.Min(r.AsUInt32(), (r - m).AsUInt32()).AsUInt64();

    // −m^-1 mod 2^32 per lane (in the low half), Newton's iteration as in the scalar code.
    private static Vector512<ulong> NegativeInverse(Vector512<ulong> m)
    {
        var m32 = m.AsUInt32();
        var inverse = m32;
        var two = Vector512.Create(2u);
        for (var i = 0; i < 4; i++)
        {
            inverse *= two - (m32 * inverse);
        }

        return (Vector512<uint>.Zero - inverse).AsUInt64();
    }

    // x mod m for x ≤ 2^47: the double quotient is within 2^-5 of the truth, so one correction each way suffices.
    private static Vector512<ulong> Remainder(ulong x, Vector512<ulong> m, Vector512<double> inverse)
    {
        var q = Vector512.ConvertToUInt64(Vector512.Create((double)x) * inverse);
        var t = (Vector512.Create(x) - (q * m)).AsInt64();
        var signedM = m.AsInt64();
        t += signedM & Vector512.ShiftRightArithmetic(t, 63);
        t -= signedM & Vector512.GreaterThanOrEqual(t, signedM);
        return t.AsUInt64();
    }

    // Adds ± floor(r·2^128/m) per lane as four 32-bit digits, most significant into acc0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(
        Vector512<ulong> r,
        Vector512<ulong> m,
        Vector512<double> inverse,
        Vector512<long> negative,
        ref Vector512<long> acc0,
        ref Vector512<long> acc1,
        ref Vector512<long> acc2,
        ref Vector512<long> acc3)
    {
        var signedM = m.AsInt64();
        var rem = r;
        acc0 += Signed(Digit(ref rem, signedM, inverse), negative);
        acc1 += Signed(Digit(ref rem, signedM, inverse), negative);
        acc2 += Signed(Digit(ref rem, signedM, inverse), negative);
        acc3 += Signed(Digit(ref rem, signedM, inverse), negative);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> Signed(Vector512<long> q, Vector512<long> negative) => (q ^ negative) - negative;

    // One long-division digit: q = floor(rem·2^32 / m), rem ← the remainder. rem < m < 2^31, so rem·2^32 < 2^63 is
    // exact in double's 53 bits (31 significant bits) and q·m fits in 64 bits even when q is one too large.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> Digit(ref Vector512<ulong> rem, Vector512<long> m, Vector512<double> inverse)
    {
        var num = Vector512.ShiftLeft(rem, 32);
        var q = Vector512.ConvertToUInt64(Vector512.ConvertToDouble(num) * inverse).AsInt64();
        var t = num.AsInt64() - (q * m);
        var low = Vector512.ShiftRightArithmetic(t, 63);
        q += low;
        t += m & low;
        var high = Vector512.GreaterThanOrEqual(t, m);
        q -= high;
        t -= m & high;
        rem = t.AsUInt64();
        return q;
    }
}
