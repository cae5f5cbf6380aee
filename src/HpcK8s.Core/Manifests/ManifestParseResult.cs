using HpcK8s.Core.Model;
using HpcK8s.Core.Validation;

namespace HpcK8s.Core.Manifests;

/// <summary>The jobs read from a manifest, and every problem found. Jobs are only usable when there are no errors.</summary>
/// <param name="Jobs">One job per non-empty YAML document, in file order.</param>
/// <param name="Errors">Every problem found, each with its field path and source location.</param>
public sealed record ManifestParseResult(IReadOnlyList<ComputeJob> Jobs, IReadOnlyList<ValidationError> Errors)
{
    /// <summary>True when the manifest parsed and validated without any error.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>Returns the jobs, or throws <see cref="ValidationException"/> with every error.</summary>
    public IReadOnlyList<ComputeJob> GetJobsOrThrow() => IsValid ? Jobs : throw new ValidationException(Errors);
}
