namespace HpcK8s.Dapr;

/// <summary>Names shared by the Dapr-facing parts of HpcK8s.</summary>
public static class DaprProject
{
    /// <summary>The Dapr app id HpcK8s workers run under by default.</summary>
    public const string DefaultAppId = "hpck8s-worker";
}
