namespace HpcK8s.Core.Ledger;

/// <summary>The job was accepted. Canonical form: <c>u8(1) ‖ str(jobName) ‖ str(kernel) ‖ hash(specDigest)</c>.</summary>
public sealed record JobAcceptedEntry : LedgerEntry
{
    /// <summary>Creates the entry.</summary>
    /// <param name="jobName">The job's name.</param>
    /// <param name="kernel">The kernel's name.</param>
    /// <param name="specDigest">SHA-256 of the job spec as submitted.</param>
    public JobAcceptedEntry(string jobName, string kernel, Hash256 specDigest)
    {
        JobName = RequireText(jobName, nameof(jobName));
        Kernel = RequireText(kernel, nameof(kernel));
        SpecDigest = specDigest;
    }

    /// <inheritdoc />
    public override LedgerEntryKind Kind => LedgerEntryKind.JobAccepted;

    /// <summary>The job's name.</summary>
    public string JobName { get; }

    /// <summary>The kernel's name.</summary>
    public string Kernel { get; }

    /// <summary>SHA-256 of the job spec as submitted.</summary>
    public Hash256 SpecDigest { get; }

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.WriteByte((byte)Kind);
        writer.WriteString(JobName);
        writer.WriteString(Kernel);
        writer.WriteHash(SpecDigest);
    }
}
