using System.Text.RegularExpressions;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Manifests;
using HpcK8s.Core.Model;

namespace HpcK8s.Core.Validation;

/// <summary>Validates a <see cref="ComputeJob"/>: pure, returns every problem with its field path.</summary>
/// <remarks>The CRD's schema repeats the structural rules; this is the one place that knows all of them,
/// including the kernel's own parameter checks, so the CLI and the operator report the same messages.</remarks>
public static partial class JobValidator
{
    /// <summary>Longest accepted <c>metadata.name</c> (the operator derives workflow ids from it).</summary>
    public const int MaxNameLength = 63;

    /// <summary>Checks <paramref name="job"/>; built-in kernels are looked up in <paramref name="kernels"/>.</summary>
    public static IReadOnlyList<ValidationError> Validate(ComputeJob job, KernelRegistry kernels)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(kernels);
        var errors = new List<ValidationError>();
        if (job.ApiVersion != ComputeJob.ApiVersionValue)
        {
            errors.Add(new("apiVersion", $"must be {ComputeJob.ApiVersionValue}, got '{job.ApiVersion}'"));
        }

        if (job.Kind != ComputeJob.KindValue)
        {
            errors.Add(new("kind", $"must be {ComputeJob.KindValue}, got '{job.Kind}'"));
        }

        ValidateName(job.Metadata.Name, errors);
        ValidateSpec(job.Spec, kernels, errors);
        return errors;
    }

    private static void ValidateName(string name, List<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new("metadata.name", "is required: lowercase letters, digits and '-', starting and ending with a letter or digit"));
        }
        else if (name.Length > MaxNameLength || !Dns1123Label().IsMatch(name))
        {
            errors.Add(new("metadata.name", $"must be at most {MaxNameLength} lowercase letters, digits and '-', starting and ending with a letter or digit, got '{name}'"));
        }
    }

    private static void ValidateSpec(ComputeJobSpec spec, KernelRegistry kernels, List<ValidationError> errors)
    {
        var shardsValid = true;
        if (spec.Shards < 1 || spec.Shards > ComputeJobSpec.MaxShards)
        {
            errors.Add(new("spec.shards", $"must be between 1 and {ComputeJobSpec.MaxShards}, got {spec.Shards}"));
            shardsValid = false;
        }

        if (spec.Parallelism is { } parallelism && (parallelism < 1 || (shardsValid && parallelism > spec.Shards)))
        {
            errors.Add(new("spec.parallelism", $"must be between 1 and spec.shards ({spec.Shards}), got {parallelism}"));
        }

        if (spec.Retry.MaxAttempts is < 1 or > 100)
        {
            errors.Add(new("spec.retry.maxAttempts", $"must be between 1 and 100, got {spec.Retry.MaxAttempts}"));
        }

        if (!Durations.TryParse(spec.Retry.Backoff, out var backoff) || backoff > TimeSpan.FromHours(1))
        {
            errors.Add(new("spec.retry.backoff", $"must be {Durations.Expected}, at most 1h, got '{spec.Retry.Backoff}'"));
        }

        if (spec.ActiveDeadlineSeconds is < 1)
        {
            errors.Add(new("spec.activeDeadlineSeconds", $"must be at least 1, got {spec.ActiveDeadlineSeconds}"));
        }

        if (spec.TtlSecondsAfterFinished is < 0)
        {
            errors.Add(new("spec.ttlSecondsAfterFinished", $"must be 0 or more, got {spec.TtlSecondsAfterFinished}"));
        }

        if (spec.Ledger.Replicas is < 1 or > 7)
        {
            errors.Add(new("spec.ledger.replicas", $"must be between 1 and 7, got {spec.Ledger.Replicas}"));
        }

        ValidateKernel(spec, kernels, shardsValid, errors);
    }

    private static void ValidateKernel(ComputeJobSpec spec, KernelRegistry kernels, bool shardsValid, List<ValidationError> errors)
    {
        var kernel = spec.Kernel;
        var known = string.Join(", ", kernels.Kernels.Select(k => k.Name));
        if (kernel.Name is null && kernel.AppId is null)
        {
            errors.Add(new("spec.kernel", $"must set name (one of: {known}) or appId and method"));
            return;
        }

        if (kernel.Name is not null && kernel.AppId is not null)
        {
            errors.Add(new("spec.kernel", "must set either name or appId, not both"));
            return;
        }

        if (kernel.AppId is not null)
        {
            if (!Dns1123Label().IsMatch(kernel.AppId))
            {
                errors.Add(new("spec.kernel.appId", $"must be a Dapr app id (lowercase letters, digits and '-'), got '{kernel.AppId}'"));
            }

            if (string.IsNullOrWhiteSpace(kernel.Method))
            {
                errors.Add(new("spec.kernel.method", "is required with spec.kernel.appId: the method the app serves shards on"));
            }

            return;
        }

        if (kernel.Method is not null)
        {
            errors.Add(new("spec.kernel.method", "is only allowed with spec.kernel.appId"));
        }

        if (!kernels.TryGet(kernel.Name!, out var builtIn))
        {
            errors.Add(new("spec.kernel.name", $"unknown kernel '{kernel.Name}'; known kernels: {known}"));
            return;
        }

        if (shardsValid)
        {
            errors.AddRange(builtIn.Validate(new KernelJob(spec.Parameters, spec.Shards)));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();
}
