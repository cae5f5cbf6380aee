namespace HpcK8s.Testing.Docs;

/// <summary>A fenced code block of a Markdown page.</summary>
/// <param name="Step">The id of the <c>&lt;!-- step: ID --&gt;</c> marker right before the block, if any.</param>
/// <param name="Language">The fence's info string (<c>sh</c>, <c>yaml</c>, …).</param>
/// <param name="Line">The 1-based line of the block's first content line.</param>
/// <param name="Text">The block's content.</param>
public sealed record DocBlock(string? Step, string Language, int Line, string Text)
{
    /// <summary>True for shell blocks (<c>sh</c>, <c>bash</c>, <c>shell</c>).</summary>
    public bool IsShell => Language is "sh" or "bash" or "shell";

    /// <summary>The block's commands: comment and blank lines dropped, continuation lines joined.</summary>
    public IReadOnlyList<DocCommand> Commands
    {
        get
        {
            var commands = new List<DocCommand>();
            var lines = Text.Split('\n');
            var start = -1;
            var current = new System.Text.StringBuilder();
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd('\r');
                if (current.Length == 0 && (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')))
                {
                    continue;
                }

                if (current.Length == 0)
                {
                    start = Line + i;
                }

                if (line.EndsWith('\\'))
                {
                    current.Append(line[..^1]).Append(' ');
                    continue;
                }

                current.Append(line);
                commands.Add(new DocCommand(start, System.Text.RegularExpressions.Regex.Replace(current.ToString().Trim(), @"\s{2,}", " ")));
                current.Clear();
            }

            if (current.Length > 0)
            {
                commands.Add(new DocCommand(start, current.ToString().Trim()));
            }

            return commands;
        }
    }
}
