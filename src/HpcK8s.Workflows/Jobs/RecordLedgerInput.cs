namespace HpcK8s.Workflows.Jobs;

/// <summary>Input of the <c>RecordLedger</c> activity.</summary>
public sealed record RecordLedgerInput(string JobName, IReadOnlyList<LedgerRecord> Records);
