using System.Globalization;

namespace HpcK8s.Worker.Tests;

/// <summary>Reads samples out of Prometheus text exposition.</summary>
internal static class MetricsText
{
    /// <summary>The value of the sample whose name and labels are exactly <paramref name="series"/>
    /// (e.g. <c>hpck8s_worker_shards_executed{hpck8s_kernel="pi-bbp"}</c>), or null when absent.</summary>
    public static double? Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
