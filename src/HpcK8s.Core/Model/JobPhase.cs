namespace HpcK8s.Core.Model;

/// <summary>The values of <c>status.phase</c>.</summary>
public static class JobPhase
{
    /// <summary>Accepted, not started.</summary>
    public const string Pending = "Pending";

    /// <summary>Shards are running.</summary>
    public const string Running = "Running";

    /// <summary>Suspended by <c>spec.suspend</c> or a suspend command.</summary>
    public const string Suspended = "Suspended";

    /// <summary>Finished with a result.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>Finished without a result; the conditions say why.</summary>
    public const string Failed = "Failed";

    /// <summary>True for phases that never change again.</summary>
    public static bool IsTerminal(string phase) => phase is Succeeded or Failed;
}
