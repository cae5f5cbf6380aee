using System.Globalization;
using System.Numerics;
using HpcK8s.Core.Numerics;

namespace HpcK8s.Core.Kernels.PiDigits;

/// <summary>Chudnovsky binary splitting on <see cref="BigInteger"/>: the fallback when GMP is not installed.</summary>
/// <remarks>Same integers and encoding as <see cref="GmpChudnovskyArithmetic"/>, much slower on large inputs.</remarks>
internal sealed class ManagedChudnovskyArithmetic : IChudnovskyArithmetic
{
    /// <summary>The one instance (the class holds no state).</summary>
    public static ManagedChudnovskyArithmetic Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "managed";

    /// <inheritdoc />
    public TermRange Compute(long start, long end, bool needP, CancellationToken cancellationToken)
    {
        var (p, q, t) = Split(start, end, needP, cancellationToken);
        return new TermRange(start, end, needP ? Encode(p) : null, Encode(q), Encode(t));
    }

    /// <inheritdoc />
    public TermRange Combine(TermRange left, TermRange right, bool needP)
    {
        var p1 = Decode(left.P ?? throw new InvalidOperationException($"pi-digits: the left partial ({left.Describe()}) has no P"));
        var t = (Decode(left.T) * Decode(right.Q)) + (p1 * Decode(right.T));
        var q = Decode(left.Q) * Decode(right.Q);
        string? p = null;
        if (needP)
        {
            p = Encode(p1 * Decode(right.P ?? throw new InvalidOperationException($"pi-digits: the right partial ({right.Describe()}) has no P")));
        }

        return new TermRange(left.Start, right.End, p, Encode(q), Encode(t));
    }

    /// <inheritdoc />
    public string ScaledPi(TermRange whole, long workDigits, CancellationToken cancellationToken)
    {
        var q = Decode(whole.Q);
        var t = Decode(whole.T);
        var root = BigIntegerMath.Sqrt(BigInteger.Pow(10, checked((int)(2 * workDigits))) * ChudnovskySeries.Radicand);
        cancellationToken.ThrowIfCancellationRequested();
        var x = BigInteger.Divide(root * q * ChudnovskySeries.SqrtMultiplier, t);
        return x.ToString(CultureInfo.InvariantCulture);
    }

    private static (BigInteger P, BigInteger Q, BigInteger T) Split(long a, long b, bool needP, CancellationToken cancellationToken)
    {
        if (b - a == 1)
        {
            if (a == 0)
            {
                return (BigInteger.One, BigInteger.One, ChudnovskySeries.A);
            }

            var p = -(BigInteger)ChudnovskySeries.PMagnitude(a);
            var q = (BigInteger)((ulong)a * (ulong)a) * (ulong)a * ChudnovskySeries.C3Over24;
            return (p, q, p * ChudnovskySeries.Linear(a));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var m = a + ((b - a) / 2);
        var (p1, q1, t1) = Split(a, m, true, cancellationToken);
        var (p2, q2, t2) = Split(m, b, needP, cancellationToken);
        return (needP ? p1 * p2 : BigInteger.Zero, q1 * q2, (t1 * q2) + (p1 * t2));
    }

    private static string Encode(BigInteger value) =>
        IntegerText.Encode(BigInteger.Abs(value).ToByteArray(isUnsigned: true, isBigEndian: false), value.Sign < 0);

    private static BigInteger Decode(string token)
    {
        var magnitude = IntegerText.Decode(token, out var negative);
        var value = new BigInteger(magnitude.Span, isUnsigned: true, isBigEndian: false);
        return negative ? -value : value;
    }
}
