using System.Globalization;

namespace HpcK8s.Operator.Informers;

/// <summary>Compares resourceVersions. Kubernetes calls them opaque, but every API server backed by etcd hands out
/// increasing integers (the etcd revision); the informer uses that to refuse an event older than its cached copy, and
/// falls back to "different means newer" for a version that is not a number.</summary>
internal static class ResourceVersions
{
    /// <summary>Whether <paramref name="candidate"/> should replace a cached object at <paramref name="cached"/>.</summary>
    public static bool IsNewer(string? candidate, string? cached)
    {
        if (string.IsNullOrEmpty(candidate) || string.IsNullOrEmpty(cached))
        {
            return true;
        }

        if (ulong.TryParse(candidate, NumberStyles.None, CultureInfo.InvariantCulture, out var c)
            && ulong.TryParse(cached, NumberStyles.None, CultureInfo.InvariantCulture, out var k))
        {
            return c > k;
        }

        return !string.Equals(candidate, cached, StringComparison.Ordinal);
    }
}
