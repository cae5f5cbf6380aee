namespace HpcK8s.Core.Kernels.PiDigits;

/// <summary>
/// The text form of a big integer inside a partial: base64 of the magnitude's little-endian bytes (minimal
/// length; zero is one zero byte), prefixed by <c>-</c> when negative.
/// </summary>
/// <remarks>Both arithmetic back ends write exactly these bytes, so their partials are identical and interchangeable.</remarks>
internal static class IntegerText
{
    /// <summary>Encodes a sign and magnitude.</summary>
    public static string Encode(ReadOnlySpan<byte> magnitude, bool negative)
    {
        var body = Convert.ToBase64String(magnitude);
        return negative ? "-" + body : body;
    }

    /// <summary>Decodes a token; returns the magnitude bytes and the sign.</summary>
    /// <remarks>The bytes are zero-padded to a whole number of 8-byte words, which GMP imports as a plain copy.</remarks>
    public static ReadOnlyMemory<byte> Decode(string token, out bool negative)
    {
        ArgumentNullException.ThrowIfNull(token);
        negative = token.StartsWith('-');
        var body = negative ? token.AsSpan(1) : token.AsSpan();
        var bytes = new byte[RoundUpToWord((body.Length / 4 * 3) + 3)];
        if (!Convert.TryFromBase64Chars(body, bytes, out var written))
        {
            throw new FormatException("pi-digits: a partial holds a number that is not valid base64");
        }

        return bytes.AsMemory(0, RoundUpToWord(written));
    }

    private static int RoundUpToWord(int length) => (length + 7) / 8 * 8;
}
