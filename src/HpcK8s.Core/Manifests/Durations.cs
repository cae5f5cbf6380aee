using System.Globalization;
using System.Text.RegularExpressions;

namespace HpcK8s.Core.Manifests;

/// <summary>Parses Go/Kubernetes-style durations such as <c>500ms</c>, <c>2s</c>, <c>1m30s</c>, <c>1h</c>.</summary>
public static partial class Durations
{
    /// <summary>What a duration looks like, for error messages.</summary>
    public const string Expected = "a duration such as 500ms, 2s, 1m30s or 1h";

    /// <summary>Parses <paramref name="text"/>; false when it is not a non-negative duration.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text) || !DurationPattern().IsMatch(text))
        {
            return false;
        }

        foreach (Match part in PartPattern().Matches(text))
        {
            var amount = decimal.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            var milliseconds = part.Groups[2].Value switch
            {
                "ms" => amount,
                "s" => amount * 1000m,
                "m" => amount * 60_000m,
                _ => amount * 3_600_000m,
            };
            if (milliseconds > (decimal)TimeSpan.MaxValue.TotalMilliseconds / 2)
            {
                return false;
            }

            value += TimeSpan.FromMilliseconds((double)milliseconds);
        }

        return true;
    }

    [GeneratedRegex(@"^(\d+(\.\d+)?(ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex PartPattern();
}
