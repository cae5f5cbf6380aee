namespace HpcK8s.Core.Ledger;

/// <summary>A block was offered to a store whose head had moved on (another writer appended first). The
/// <see cref="LedgerWriter"/> catches this, re-reads the head and tries again.</summary>
public sealed class LedgerConcurrencyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerConcurrencyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What the store expected and found.</param>
    public LedgerConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What the store expected and found.</param>
    /// <param name="innerException">The underlying error.</param>
    public LedgerConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
