namespace HpcK8s.Operator;

/// <summary>Leader election through a <c>coordination.k8s.io/v1</c> Lease: only the leader reconciles, writes and scales.</summary>
public sealed class LeaderElectionOptions
{
    /// <summary>Whether to elect a leader. Default true; false makes every replica act (one replica only!).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Lease's name. Default <c>hpck8s-operator</c>.</summary>
    public string LeaseName { get; set; } = "hpck8s-operator";

    /// <summary>The Lease's namespace. Empty: <c>POD_NAMESPACE</c>, else the namespace of the service account, else <c>default</c>.</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>This candidate's identity. Empty: <c>POD_NAME</c>, else the host name, plus a random suffix.</summary>
    public string? Identity { get; set; }

    /// <summary>How long a lease holds without renewal: 1 second to 5 minutes. Default 15 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leading: less than <see cref="LeaseDuration"/>. Default 10 seconds.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates try to acquire or renew: less than <see cref="RenewDeadline"/>. Default 2 seconds.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    internal IEnumerable<string> Validate(string section)
    {
        if (Enabled && string.IsNullOrWhiteSpace(LeaseName))
        {
            yield return $"{section}:{nameof(LeaseName)} must be set when {section}:{nameof(Enabled)} is true.";
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1) || LeaseDuration > TimeSpan.FromMinutes(5))
        {
            yield return $"{section}:{nameof(LeaseDuration)} must be 00:00:01 to 00:05:00 (got {LeaseDuration}).";
        }

        if (RenewDeadline <= TimeSpan.Zero || RenewDeadline >= LeaseDuration)
        {
            yield return $"{section}:{nameof(RenewDeadline)} must be more than zero and less than {section}:{nameof(LeaseDuration)} (got {RenewDeadline} vs {LeaseDuration}).";
        }

        if (RetryPeriod <= TimeSpan.Zero || RetryPeriod >= RenewDeadline)
        {
            yield return $"{section}:{nameof(RetryPeriod)} must be more than zero and less than {section}:{nameof(RenewDeadline)} (got {RetryPeriod} vs {RenewDeadline}).";
        }
    }
}
