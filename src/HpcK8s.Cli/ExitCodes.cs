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

    /// <summary>What the command talks to could not be reached or lacks HpcK8s: the Kubernetes API server, the
    /// ComputeJob CRD on it, the Dapr sidecar a <c>ledger --ledger dapr</c> command reads through.</summary>
    public const int Unavailable = 3;

    /// <summary><c>--timeout</c> passed before the job finished (the exit code of coreutils' <c>timeout</c>).</summary>
    public const int TimedOut = 124;

    /// <summary>Interrupted by Ctrl-C or SIGTERM.</summary>
    public const int Interrupted = 130;
}
