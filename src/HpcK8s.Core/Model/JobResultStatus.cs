namespace HpcK8s.Core.Model;

/// <summary>A job's result as reported in status.</summary>
public sealed class JobResultStatus
{
    /// <summary>The result text (may be shortened in Kubernetes status; <see cref="Digest"/> covers the whole).</summary>
    public string Value { get; set; } = "";

    /// <summary><c>sha256:</c> + lowercase hex of the SHA-256 of the full UTF-8 result value.</summary>
    public string Digest { get; set; } = "";
}
