namespace HpcK8s.Cli;

/// <summary>Process exit codes of <c>hpck8s</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (a job succeeded, a manifest is valid).</summary>
    public const int Success = 0;

    /// <summary>A job ran and failed, or a check found a problem.</summary>
    public const int Failed = 1;

    /// <summary>Bad input: unreadable or invalid manifest, bad option.</summary>
    public const int InvalidInput = 2;

    /// <summary>Interrupted by Ctrl-C or SIGTERM.</summary>
    public const int Interrupted = 130;
}
