using System.Numerics;

namespace HpcK8s.Core.Numerics;

/// <summary>Integer functions that <see cref="BigInteger"/> lacks.</summary>
internal static class BigIntegerMath
{
    /// <summary>floor(sqrt(<paramref name="value"/>)) for a non-negative value.</summary>
    /// <remarks>
    /// Recursive: the root of the top half of the bits gives a start that is already correct to about a quarter
    /// of the bits, so the Newton steps at each size are few and the total cost is a small multiple of one
    /// full-size division.
    /// </remarks>
    public static BigInteger Sqrt(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "square root of a negative number");
        }

        if (value < ulong.MaxValue)
        {
            return SmallSqrt((ulong)value);
        }

        // value >> 2k has about half the bits; its root, shifted back by k, is a close under-estimate.
        var k = (long)(value.GetBitLength() / 4);
        var root = Sqrt(value >> (int)(2 * k));

        // (root + 1) << k is above sqrt(value), so the decreasing Newton iteration converges to the floor.
        var x = (root + 1) << (int)k;
        while (true)
        {
            var next = (x + (value / x)) >> 1;
            if (next >= x)
            {
                return x;
            }

            x = next;
        }
    }

    private static BigInteger SmallSqrt(ulong value)
    {
        var root = (ulong)Math.Sqrt(value);

        // Math.Sqrt may be off by one either way near 2^64; correct with exact integer checks.
        while (root > 0 && (UInt128)root * root > value)
        {
            root--;
        }

        while ((UInt128)(root + 1) * (root + 1) <= value)
        {
            root++;
        }

        return root;
    }
}
