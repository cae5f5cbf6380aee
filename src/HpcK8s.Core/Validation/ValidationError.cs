namespace HpcK8s.Core.Validation;

/// <summary>One problem found in user input, located by a field path such as <c>spec.shards</c>.</summary>
/// <param name="Path">Dotted field path from the document root (<c>spec.parameters.digits</c>); may carry a
/// <c>file:line:col</c> prefix in <see cref="Location"/> when it came from a file.</param>
/// <param name="Message">What was expected and what was found, e.g. <c>must be between 1 and 1000000, got -3</c>.</param>
public sealed record ValidationError(string Path, string Message)
{
    /// <summary>Where in a source file the field was, when known (<c>pi.yaml:7:12</c>).</summary>
    public string? Location { get; init; }

    /// <inheritdoc />
    public override string ToString()
    {
        var field = Path.Length == 0 ? Message : $"{Path}: {Message}";
        return Location is null ? field : $"{Location}: {field}";
    }
}
