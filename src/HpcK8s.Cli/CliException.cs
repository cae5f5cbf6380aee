namespace HpcK8s.Cli;

/// <summary>A failure the CLI reports as one line (what went wrong, where, what to do) and an exit code, never as a
/// stack trace.</summary>
internal sealed class CliException : Exception
{
    public CliException()
        : this(ExitCodes.Failed, "failed")
    {
    }

    public CliException(string message)
        : this(ExitCodes.Failed, message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Failed;
    }

    public CliException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code that goes with this failure.</summary>
    public int ExitCode { get; }
}
