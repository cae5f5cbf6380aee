using System.Runtime.InteropServices;
using System.Text;

namespace HpcK8s.Core.Numerics;

/// <summary>A mutable arbitrary-precision integer backed by a GMP <c>mpz_t</c>; dispose it to free the native memory.</summary>
/// <remarks>
/// Operations write into <c>this</c> (GMP style) so that hot loops reuse their storage; operands may alias
/// <c>this</c>. Check <see cref="GmpLibrary.IsAvailable"/> before creating one. Not thread-safe; distinct
/// instances may be used on distinct threads.
/// </remarks>
internal sealed unsafe class GmpInteger : IDisposable
{
    private const int WordSize = sizeof(ulong);

    private readonly MpzHandle _handle;

    /// <summary>Creates a number holding zero.</summary>
    public GmpInteger()
    {
        _handle = MpzHandle.Create();
    }

    /// <summary>Creates a number holding <paramref name="value"/>.</summary>
    public GmpInteger(ulong value)
        : this()
    {
        Set(value);
    }

    /// <summary>-1, 0 or 1.</summary>
    public int Sign
    {
        get
        {
            var added = false;
            try
            {
                _handle.DangerousAddRef(ref added);
                var size = *(int*)((byte*)_handle.DangerousGetHandle() + GmpNative.SizeFieldOffset);
                return Math.Sign(size);
            }
            finally
            {
                if (added)
                {
                    _handle.DangerousRelease();
                }
            }
        }
    }

    /// <summary>Number of bits of the magnitude (1 for zero, as GMP reports it).</summary>
    public long BitLength => (long)GmpNative.SizeInBase(_handle, 2);

    /// <summary>this = <paramref name="value"/>.</summary>
    public void Set(ulong value) => GmpNative.SetUi(_handle, (nuint)value);

    /// <summary>this = <paramref name="value"/>.</summary>
    public void Set(UInt128 value)
    {
        var high = (ulong)(value >> 64);
        if (high == 0)
        {
            GmpNative.SetUi(_handle, (nuint)(ulong)value);
            return;
        }

        GmpNative.SetUi(_handle, (nuint)high);
        GmpNative.Mul2Exp(_handle, _handle, 64);
        GmpNative.AddUi(_handle, _handle, (nuint)(ulong)value);
    }

    /// <summary>this = <paramref name="value"/>.</summary>
    public void Set(GmpInteger value)
    {
        ArgumentNullException.ThrowIfNull(value);
        GmpNative.Set(_handle, value._handle);
    }

    /// <summary>this = -this.</summary>
    public void Negate() => GmpNative.Neg(_handle, _handle);

    /// <summary>this = <paramref name="left"/> · <paramref name="right"/>.</summary>
    public void SetProduct(GmpInteger left, GmpInteger right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        GmpNative.Mul(_handle, left._handle, right._handle);
    }

    /// <summary>this = <paramref name="left"/> · <paramref name="right"/>.</summary>
    public void SetProduct(GmpInteger left, ulong right)
    {
        ArgumentNullException.ThrowIfNull(left);
        GmpNative.MulUi(_handle, left._handle, (nuint)right);
    }

    /// <summary>this = this + <paramref name="left"/> · <paramref name="right"/>.</summary>
    public void AddProduct(GmpInteger left, GmpInteger right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        GmpNative.AddMul(_handle, left._handle, right._handle);
    }

    /// <summary>this = <paramref name="numerator"/> / <paramref name="denominator"/>, truncated toward zero.</summary>
    public void SetQuotient(GmpInteger numerator, GmpInteger denominator)
    {
        ArgumentNullException.ThrowIfNull(numerator);
        ArgumentNullException.ThrowIfNull(denominator);
        if (denominator.Sign == 0)
        {
            throw new DivideByZeroException();
        }

        GmpNative.TDivQ(_handle, numerator._handle, denominator._handle);
    }

    /// <summary>this = floor(sqrt(<paramref name="value"/>)); <paramref name="value"/> must not be negative.</summary>
    public void SetSquareRoot(GmpInteger value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "square root of a negative number");
        }

        GmpNative.Sqrt(_handle, value._handle);
    }

    /// <summary>this = <paramref name="baseValue"/> ^ <paramref name="exponent"/>.</summary>
    public void SetPower(ulong baseValue, ulong exponent) => GmpNative.UiPowUi(_handle, (nuint)baseValue, (nuint)exponent);

    /// <summary>Compares by value.</summary>
    public int CompareTo(GmpInteger other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Math.Sign(GmpNative.Cmp(_handle, other._handle));
    }

    /// <summary>The magnitude as little-endian bytes, minimal length; zero gives one zero byte.</summary>
    /// <remarks>
    /// The same bytes as <c>BigInteger.Abs(x).ToByteArray(isUnsigned: true)</c>. The segment's array may be
    /// longer: GMP writes whole 8-byte little-endian words, which on little-endian hosts is a plain copy of the limbs.
    /// </remarks>
    public ArraySegment<byte> ExportMagnitude()
    {
        var bits = BitLength;
        var bytes = new byte[((bits + 63) / 64) * 8];
        nuint words = 0;
        fixed (byte* destination = bytes)
        {
            // order -1: least significant word first; endian -1: little-endian words.
            GmpNative.Export(destination, &words, -1, WordSize, -1, 0, _handle);
        }

        if ((long)words * WordSize > bytes.Length)
        {
            throw new InvalidOperationException($"mpz_export wrote {words} words into a buffer of {bytes.Length} bytes");
        }

        return new ArraySegment<byte>(bytes, 0, (int)Math.Max(1, (bits + 7) / 8));
    }

    /// <summary>this = ±(the little-endian unsigned integer in <paramref name="magnitude"/>).</summary>
    /// <remarks>Fastest when the span's length is a multiple of 8 (whole words, a plain copy); any length works.</remarks>
    public void ImportMagnitude(ReadOnlySpan<byte> magnitude, bool negative)
    {
        if (magnitude.Length % WordSize != 0)
        {
            var padded = new byte[(magnitude.Length / WordSize * WordSize) + WordSize];
            magnitude.CopyTo(padded);
            magnitude = padded;
        }

        fixed (byte* source = magnitude)
        {
            // order -1: least significant word first; endian -1: little-endian words.
            GmpNative.Import(_handle, (nuint)(magnitude.Length / WordSize), -1, WordSize, -1, 0, source);
        }

        if (negative)
        {
            Negate();
        }
    }

    /// <summary>The value in base 10 (with a leading <c>-</c> when negative).</summary>
    public override string ToString()
    {
        // mpz_sizeinbase may exceed the true length by one; +2 leaves room for the sign and the NUL.
        var capacity = GmpNative.SizeInBase(_handle, 10) + 2;
        var buffer = (byte*)NativeMemory.Alloc(capacity);
        try
        {
            GmpNative.GetStr(buffer, 10, _handle);
            var length = new ReadOnlySpan<byte>(buffer, checked((int)capacity)).IndexOf((byte)0);
            return Encoding.ASCII.GetString(buffer, length);
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
