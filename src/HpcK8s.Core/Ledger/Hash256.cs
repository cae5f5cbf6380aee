using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace HpcK8s.Core.Ledger;

/// <summary>A SHA-256 digest: 32 bytes, shown to users as <c>sha256:</c> followed by 64 lowercase hex digits.</summary>
public readonly struct Hash256 : IEquatable<Hash256>
{
    /// <summary>Length of a digest in bytes.</summary>
    public const int Size = 32;

    /// <summary>The prefix used wherever a hash is shown as text.</summary>
    public const string Prefix = "sha256:";

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    /// <summary>Creates a hash from exactly 32 bytes.</summary>
    /// <param name="bytes">The digest bytes.</param>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is not 32 bytes long.</exception>
    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a SHA-256 digest is 32 bytes, got {bytes.Length}", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    /// <summary>Creates a hash from the digest read as four big-endian 64-bit words (SHA-256's H0‖H1, H2‖H3, …).</summary>
    internal Hash256(ulong a, ulong b, ulong c, ulong d)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    /// <summary>32 zero bytes: the previous hash of the genesis block.</summary>
    public static Hash256 Zero => default;

    /// <summary>Whether all 32 bytes are zero.</summary>
    public bool IsZero => (_a | _b | _c | _d) == 0;

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to hash.</param>
    /// <returns>The digest.</returns>
    public static Hash256 Of(ReadOnlySpan<byte> data) => Sha256.Hash(data);

    /// <summary>SHA-256 of the UTF-8 encoding of <paramref name="text"/> (no BOM, no normalisation).</summary>
    /// <param name="text">The text to hash.</param>
    /// <returns>The digest.</returns>
    public static Hash256 OfUtf8(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Sha256.Hash(CanonicalWriter.StrictUtf8.GetBytes(text));
    }

    /// <summary>Copies the 32 bytes into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least 32 bytes.</param>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    /// <summary>The 32 bytes as a new array.</summary>
    /// <returns>A copy of the digest.</returns>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>64 lowercase hex digits, no prefix.</summary>
    /// <returns>The hex form.</returns>
    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary><c>sha256:</c> followed by 64 lowercase hex digits.</summary>
    /// <returns>The display form.</returns>
    public override string ToString() => Prefix + ToHex();

    /// <summary>Parses <c>sha256:</c> + 64 lowercase hex digits (the prefix is optional; uppercase is rejected so that
    /// every hash has exactly one spelling).</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="FormatException">When the text is not a hash in that form.</exception>
    public static Hash256 Parse(string text) =>
        TryParse(text, out var hash) ? hash : throw new FormatException($"'{text}' is not a hash: expected sha256: followed by 64 lowercase hex digits");

    /// <summary>Parses like <see cref="Parse"/> without throwing.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="hash">The hash when parsed.</param>
    /// <returns>Whether the text was a hash.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out Hash256 hash)
    {
        hash = default;
        if (text is null)
        {
            return false;
        }

        var hex = text.StartsWith(Prefix, StringComparison.Ordinal) ? text.AsSpan(Prefix.Length) : text.AsSpan();
        if (hex.Length != Size * 2)
        {
            return false;
        }

        foreach (var ch in hex)
        {
            if (!char.IsAsciiDigit(ch) && ch is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        hash = new Hash256(bytes);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(Hash256 other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    /// <summary>Equality of the 32 bytes.</summary>
    /// <param name="left">One hash.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    /// <summary>Inequality of the 32 bytes.</summary>
    /// <param name="left">One hash.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);
}
