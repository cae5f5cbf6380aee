using HpcK8s.Core.Numerics;

namespace HpcK8s.Core.Kernels.PiDigits;

/// <summary>Chudnovsky binary splitting on GMP mpz integers.</summary>
internal sealed class GmpChudnovskyArithmetic : IChudnovskyArithmetic
{
    /// <summary>The one instance (the class holds no state).</summary>
    public static GmpChudnovskyArithmetic Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "gmp " + GmpLibrary.Version;

    /// <inheritdoc />
    public TermRange Compute(long start, long end, bool needP, CancellationToken cancellationToken)
    {
        using var p = new GmpInteger();
        using var q = new GmpInteger();
        using var t = new GmpInteger();
        using var scratch = new Scratch();
        Split(start, end, needP, p, q, t, scratch, 0, cancellationToken);
        return new TermRange(start, end, needP ? Encode(p) : null, Encode(q), Encode(t));
    }

    /// <inheritdoc />
    public TermRange Combine(TermRange left, TermRange right, bool needP)
    {
        using var p1 = Decode(left.P ?? throw new InvalidOperationException($"pi-digits: the left partial ({left.Describe()}) has no P"));
        using var q = Decode(left.Q);
        using var t = Decode(left.T);
        using var q2 = Decode(right.Q);
        using var t2 = Decode(right.T);

        t.SetProduct(t, q2);
        t.AddProduct(p1, t2);
        q.SetProduct(q, q2);
        string? p = null;
        if (needP)
        {
            using var p2 = Decode(right.P ?? throw new InvalidOperationException($"pi-digits: the right partial ({right.Describe()}) has no P"));
            p1.SetProduct(p1, p2);
            p = Encode(p1);
        }

        return new TermRange(left.Start, right.End, p, Encode(q), Encode(t));
    }

    /// <inheritdoc />
    public string ScaledPi(TermRange whole, long workDigits, CancellationToken cancellationToken)
    {
        using var q = Decode(whole.Q);
        using var t = Decode(whole.T);
        using var x = new GmpInteger();
        cancellationToken.ThrowIfCancellationRequested();
        x.SetPower(10, checked((ulong)(2 * workDigits)));
        x.SetProduct(x, ChudnovskySeries.Radicand);
        x.SetSquareRoot(x);
        cancellationToken.ThrowIfCancellationRequested();
        x.SetProduct(x, q);
        x.SetProduct(x, ChudnovskySeries.SqrtMultiplier);
        x.SetQuotient(x, t);
        cancellationToken.ThrowIfCancellationRequested();
        return x.ToString();
    }

    private static void Split(long a, long b, bool needP, GmpInteger p, GmpInteger q, GmpInteger t, Scratch scratch, int depth, CancellationToken cancellationToken)
    {
        if (b - a == 1)
        {
            Leaf(a, p, q, t);
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var m = a + ((b - a) / 2);
        Split(a, m, true, p, q, t, scratch, depth + 1, cancellationToken);
        var (p2, q2, t2) = scratch.At(depth);
        Split(m, b, needP, p2, q2, t2, scratch, depth + 1, cancellationToken);
        t.SetProduct(t, q2);
        t.AddProduct(p, t2);
        q.SetProduct(q, q2);
        if (needP)
        {
            p.SetProduct(p, p2);
        }
    }

    private static void Leaf(long k, GmpInteger p, GmpInteger q, GmpInteger t)
    {
        if (k == 0)
        {
            p.Set(1UL);
            q.Set(1UL);
            t.Set(ChudnovskySeries.A);
            return;
        }

        p.Set(ChudnovskySeries.PMagnitude(k));
        p.Negate();
        q.Set((ulong)k * (ulong)k);
        q.SetProduct(q, (ulong)k);
        q.SetProduct(q, ChudnovskySeries.C3Over24);
        t.SetProduct(p, ChudnovskySeries.Linear(k));
    }

    private static string Encode(GmpInteger value) => IntegerText.Encode(value.ExportMagnitude(), value.Sign < 0);

    private static GmpInteger Decode(string token)
    {
        var magnitude = IntegerText.Decode(token, out var negative);
        var value = new GmpInteger();
        value.ImportMagnitude(magnitude.Span, negative);
        return value;
    }

    // One (P, Q, T) triple per recursion depth for right halves, reused across the whole shard.
    private sealed class Scratch : IDisposable
    {
        private readonly List<(GmpInteger P, GmpInteger Q, GmpInteger T)> _levels = [];

        public (GmpInteger P, GmpInteger Q, GmpInteger T) At(int depth)
        {
            while (_levels.Count <= depth)
            {
                _levels.Add((new GmpInteger(), new GmpInteger(), new GmpInteger()));
            }

            return _levels[depth];
        }

        public void Dispose()
        {
            foreach (var (p, q, t) in _levels)
            {
                p.Dispose();
                q.Dispose();
                t.Dispose();
            }

            _levels.Clear();
        }
    }
}
