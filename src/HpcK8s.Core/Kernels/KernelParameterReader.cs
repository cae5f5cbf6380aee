using System.Globalization;
using HpcK8s.Core.Validation;

namespace HpcK8s.Core.Kernels;

/// <summary>Reads kernel parameters with uniform error messages (<c>spec.parameters.X: …</c>).</summary>
public static class KernelParameterReader
{
    /// <summary>The field path of a parameter.</summary>
    public static string PathOf(string name) => "spec.parameters." + name;

    /// <summary>
    /// Reads an integer parameter in [<paramref name="min"/>, <paramref name="max"/>]; records an error and
    /// returns null when it is missing (and required), not an integer, or out of range.
    /// </summary>
    public static long? ReadInt64(KernelJob job, string name, long min, long max, long? defaultValue, ICollection<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(errors);
        var raw = job.Get(name);
        if (raw is null)
        {
            if (defaultValue is null)
            {
                errors.Add(new ValidationError(PathOf(name), $"is required: an integer between {Format(min)} and {Format(max)}"));
            }

            return defaultValue;
        }

        var text = raw.Trim().Replace("_", "", StringComparison.Ordinal);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(new ValidationError(PathOf(name), $"must be an integer between {Format(min)} and {Format(max)}, got '{raw}'"));
            return null;
        }

        if (value < min || value > max)
        {
            errors.Add(new ValidationError(PathOf(name), $"must be between {Format(min)} and {Format(max)}, got {Format(value)}"));
            return null;
        }

        return value;
    }

    /// <summary>Reads an integer parameter of a job that already validated.</summary>
    public static long GetInt64(KernelJob job, string name, long defaultValue)
    {
        ArgumentNullException.ThrowIfNull(job);
        var raw = job.Get(name);
        return raw is null
            ? defaultValue
            : long.Parse(raw.Trim().Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>Records an error for every parameter the kernel does not know.</summary>
    public static void RejectUnknown(KernelJob job, IReadOnlyList<KernelParameter> known, ICollection<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var key in job.Parameters.Keys.Order(StringComparer.Ordinal))
        {
            if (!known.Any(p => p.Name == key))
            {
                var expected = string.Join(", ", known.Select(p => p.Name));
                errors.Add(new ValidationError(PathOf(key), $"unknown parameter; this kernel accepts: {expected}"));
            }
        }
    }

    private static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
