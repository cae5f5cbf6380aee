namespace HpcK8s.Core.Ledger;

/// <summary>A ledger document or record is not in the documented format (docs/ledger-format.md).</summary>
public sealed class LedgerFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerFormatException()
    {
    }

    /// <summary>Creates the exception with a message saying what was wrong and where.</summary>
    /// <param name="message">What was wrong and where.</param>
    public LedgerFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What was wrong and where.</param>
    /// <param name="innerException">The underlying error.</param>
    public LedgerFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
