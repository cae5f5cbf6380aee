using Microsoft.Extensions.Options;

namespace HpcK8s.Dapr.Ledger;

/// <summary>Checks <see cref="LedgerReplicationOptions"/> on start; messages name the configuration key to set.</summary>
public sealed class LedgerReplicationOptionsValidator : IValidateOptions<LedgerReplicationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LedgerReplicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string prefix = LedgerReplicationOptions.SectionName;
        if (options.Replicas is < 1 or > LedgerActorIds.MaxReplicas)
        {
            errors.Add($"{prefix}:{nameof(options.Replicas)} must be between 1 and {LedgerActorIds.MaxReplicas}, got {options.Replicas}");
        }

        if (options.ReplicaTimeout <= TimeSpan.Zero || options.ReplicaTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{prefix}:{nameof(options.ReplicaTimeout)} must be more than 00:00:00 and at most 00:05:00, got {options.ReplicaTimeout}");
        }

        if (options.PageSize is < 1 or > 1024)
        {
            errors.Add($"{prefix}:{nameof(options.PageSize)} must be between 1 and 1024, got {options.PageSize}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
