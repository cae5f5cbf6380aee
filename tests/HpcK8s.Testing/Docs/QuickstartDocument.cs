using System.Text.RegularExpressions;

namespace HpcK8s.Testing.Docs;

/// <summary>A Markdown page read for its fenced code blocks and their <c>&lt;!-- step: ID --&gt;</c> markers.</summary>
public sealed partial class QuickstartDocument
{
    private QuickstartDocument(string path, string text, IReadOnlyList<DocBlock> blocks)
    {
        Path = path;
        Text = text;
        Blocks = blocks;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The whole page.</summary>
    public string Text { get; }

    /// <summary>Every fenced code block, in order.</summary>
    public IReadOnlyList<DocBlock> Blocks { get; }

    /// <summary>Every command of every shell block.</summary>
    public IEnumerable<DocCommand> Commands => Blocks.Where(b => b.IsShell).SelectMany(b => b.Commands);

    /// <summary>docs/quickstart-kind.md of this checkout.</summary>
    public static QuickstartDocument Load() => Load(QuickstartSteps.DocumentPath);

    public static QuickstartDocument Load(string path)
    {
        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        var lines = text.Split('\n');
        var blocks = new List<DocBlock>();
        string? pendingStep = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = StepMarker().Match(lines[i]);
            if (marker.Success)
            {
                pendingStep = marker.Groups[1].Value;
                continue;
            }

            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                if (lines[i].Trim().Length > 0)
                {
                    pendingStep = null; // a marker only names the block right after it
                }

                continue;
            }

            var language = fence.Groups[2].Value.Trim();
            var content = new List<string>();
            var first = i + 2;
            for (i++; i < lines.Length && lines[i].TrimEnd() != fence.Groups[1].Value; i++)
            {
                content.Add(lines[i]);
            }

            if (i >= lines.Length)
            {
                throw new FormatException($"{path}:{first - 1}: the code block is never closed.");
            }

            blocks.Add(new DocBlock(pendingStep, language, first, string.Join('\n', content)));
            pendingStep = null;
        }

        return new QuickstartDocument(path, text, blocks);
    }

    /// <summary>The block of step <paramref name="id"/>; fails naming the page when there is none or more than one.</summary>
    public DocBlock Step(string id)
    {
        var matches = Blocks.Where(b => b.Step == id).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"{Path} has {matches.Count} code blocks marked <!-- step: {id} -->; expected exactly one.");
    }

    [GeneratedRegex(@"^\s*<!--\s*step:\s*([a-z0-9-]+)\s*-->\s*$")]
    private static partial Regex StepMarker();

    [GeneratedRegex(@"^(```+)\s*([A-Za-z0-9_-]*)\s*$")]
    private static partial Regex Fence();
}
