namespace HpcK8s.Core.Ledger;

/// <summary>The job failed. Canonical form: <c>u8(4) ‖ str(reason)</c>.</summary>
public sealed record JobFailedEntry : LedgerEntry
{
    /// <summary>Creates the entry.</summary>
    /// <param name="reason">Why the job failed.</param>
    public JobFailedEntry(string reason) => Reason = RequireText(reason, nameof(reason));

    /// <inheritdoc />
    public override LedgerEntryKind Kind => LedgerEntryKind.JobFailed;

    /// <summary>Why the job failed.</summary>
    public string Reason { get; }

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.WriteByte((byte)Kind);
        writer.WriteString(Reason);
    }
}
