namespace HpcK8s.Testing.Docs;

/// <summary>One shell command of a documentation code block, continuation lines joined.</summary>
/// <param name="Line">The 1-based line of the file it starts on.</param>
/// <param name="Text">The command as a shell would read it (without the backslash-newlines).</param>
public sealed record DocCommand(int Line, string Text)
{
    /// <summary>The command split into words the way a POSIX shell splits them (quotes removed, no expansion).</summary>
    public IReadOnlyList<string> Words => ShellWords.Split(Text);

    /// <summary>True when the command's first words are <paramref name="prefix"/>.</summary>
    public bool StartsWith(params string[] prefix)
    {
        var words = Words;
        return words.Count >= prefix.Length && prefix.Select((p, i) => words[i] == p).All(same => same);
    }

    public override string ToString() => $"line {Line}: {Text}";
}
