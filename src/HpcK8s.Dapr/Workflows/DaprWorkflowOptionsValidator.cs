using Microsoft.Extensions.Options;

namespace HpcK8s.Dapr.Workflows;

/// <summary>Validates <see cref="DaprWorkflowOptions"/> on start; the messages name the configuration key to set.</summary>
public sealed class DaprWorkflowOptionsValidator : IValidateOptions<DaprWorkflowOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DaprWorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
