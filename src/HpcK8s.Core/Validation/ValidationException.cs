namespace HpcK8s.Core.Validation;

/// <summary>Thrown when input is invalid; carries every problem found, not only the first.</summary>
public sealed class ValidationException : Exception
{
    /// <summary>Creates the exception from a non-empty list of errors.</summary>
    public ValidationException(IReadOnlyList<ValidationError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception for a single error.</summary>
    public ValidationException(string path, string message)
        : this([new ValidationError(path, message)])
    {
    }

    /// <summary>Creates an exception with a plain message (no field path).</summary>
    public ValidationException(string message)
        : this([new ValidationError("", message)])
    {
    }

    /// <summary>Creates an exception with a plain message (no field path).</summary>
    public ValidationException()
        : this("invalid input")
    {
    }

    /// <summary>Creates an exception with a plain message and the cause.</summary>
    public ValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ValidationError("", message)];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    private static string Describe(IReadOnlyList<ValidationError> errors) =>
        errors.Count == 1 ? errors[0].ToString() : string.Join(Environment.NewLine, errors);
}
