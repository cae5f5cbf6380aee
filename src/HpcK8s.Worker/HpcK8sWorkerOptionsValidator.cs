using Microsoft.Extensions.Options;

namespace HpcK8s.Worker;

/// <summary>Validates <see cref="HpcK8sWorkerOptions"/> on start; the messages name the configuration keys to fix.</summary>
public sealed class HpcK8sWorkerOptionsValidator : IValidateOptions<HpcK8sWorkerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HpcK8sWorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
