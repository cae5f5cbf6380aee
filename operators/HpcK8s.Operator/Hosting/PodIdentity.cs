namespace HpcK8s.Operator.Hosting;

/// <summary>Where this pod runs: its namespace and name, from the downward API (<c>POD_NAMESPACE</c>, <c>POD_NAME</c>) or the
/// service account's mounted namespace file.</summary>
internal static class PodIdentity
{
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary><paramref name="configured"/>, else <c>POD_NAMESPACE</c>, else the service account's namespace, else <c>default</c>.</summary>
    public static string Namespace(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } pod)
        {
            return pod;
        }

        return File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : "default";
    }

    /// <summary><paramref name="configured"/>, else <c>POD_NAME</c> or the host name with a random suffix (two processes on one
    /// host must not share an identity).</summary>
    public static string Identity(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var pod = Environment.GetEnvironmentVariable("POD_NAME");
        return $"{(string.IsNullOrEmpty(pod) ? Environment.MachineName : pod)}_{Guid.NewGuid():N}"[..^24];
    }
}
