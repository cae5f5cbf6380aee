using Microsoft.Extensions.Options;

namespace HpcK8s.Operator.Hosting;

/// <summary>Validates <see cref="OperatorOptions"/> on start, naming the key to fix.</summary>
internal sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
