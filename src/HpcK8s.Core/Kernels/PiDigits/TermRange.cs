using System.Globalization;

namespace HpcK8s.Core.Kernels.PiDigits;

/// <summary>
/// The binary-splitting triple (P, Q, T) of the Chudnovsky terms [<paramref name="Start"/>, <paramref name="End"/>),
/// each number an <see cref="IntegerText"/> token; <paramref name="P"/> is null for a range that ends at the last
/// term, where nothing to its right will ever need it.
/// </summary>
internal sealed record TermRange(long Start, long End, string? P, string Q, string T)
{
    private const string Prefix = "pi-digits/1";

    /// <summary>The partial's text: <c>pi-digits/1;start;end;P;Q;T</c> (P empty when omitted).</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{Prefix};{Start};{End};{P};{Q};{T}");

    /// <summary>Parses a partial written by <see cref="Format"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static TermRange Parse(string text, string role)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(';');
        if (parts.Length != 6 || parts[0] != Prefix)
        {
            throw new FormatException($"pi-digits: the {role} partial is not a '{Prefix}' partial (starts '{Shorten(text)}')");
        }

        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || end <= start)
        {
            throw new FormatException($"pi-digits: the {role} partial has an invalid term range '{parts[1]}..{parts[2]}'");
        }

        if (parts[4].Length == 0 || parts[5].Length == 0)
        {
            throw new FormatException($"pi-digits: the {role} partial (terms {start}..{end - 1}) lacks Q or T");
        }

        return new TermRange(start, end, parts[3].Length == 0 ? null : parts[3], parts[4], parts[5]);
    }

    /// <summary>Human form of the range, e.g. <c>terms 0..4431</c>.</summary>
    public string Describe() => $"terms {Start}..{End - 1}";

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..24] + "…";
}
