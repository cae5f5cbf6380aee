namespace HpcK8s.Core.Kernels.PiDigits;

/// <summary>The big-integer work of the kernel, done either by GMP or by <see cref="System.Numerics.BigInteger"/>.</summary>
/// <remarks>Implementations produce bit-identical results: same integers, same <see cref="IntegerText"/> bytes.</remarks>
internal interface IChudnovskyArithmetic
{
    /// <summary>Name for result details, e.g. <c>gmp 6.3.0</c> or <c>managed</c>.</summary>
    string Name { get; }

    /// <summary>Binary splitting over terms [<paramref name="start"/>, <paramref name="end"/>); P only when <paramref name="needP"/>.</summary>
    TermRange Compute(long start, long end, bool needP, CancellationToken cancellationToken);

    /// <summary>Combines adjacent ranges (already checked adjacent); P only when <paramref name="needP"/>.</summary>
    TermRange Combine(TermRange left, TermRange right, bool needP);

    /// <summary>floor(426880 · floor(sqrt(10005 · 10^(2w))) · Q / T) in base 10, about pi · 10^w.</summary>
    string ScaledPi(TermRange whole, long workDigits, CancellationToken cancellationToken);
}
