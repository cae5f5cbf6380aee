namespace HpcK8s.Chart.Tests.Shipping;

/// <summary>One Dockerfile instruction, continuation lines joined.</summary>
/// <param name="Keyword">Upper-cased: FROM, COPY, RUN, …</param>
/// <param name="Arguments">The rest of the instruction.</param>
/// <param name="Line">The 1-based line it starts on.</param>
public sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>Whitespace-separated words of the arguments, with leading <c>--flag=value</c> options removed.</summary>
    public IReadOnlyList<string> Words => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
        .SkipWhile(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();

    /// <summary>The value of a leading <c>--name=value</c> option, or null.</summary>
    public string? Option(string name) => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
        .TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal))
        .Select(w => w.Split('=', 2))
        .Where(p => p[0] == "--" + name)
        .Select(p => p.Length > 1 ? p[1] : string.Empty)
        .FirstOrDefault();

    public override string ToString() => $"line {Line}: {Keyword} {Arguments}";
}
