using System.Text.Json;
using System.Text.RegularExpressions;

namespace HpcK8s.Chart.Tests.Shipping;

/// <summary>A Dockerfile read into stages of instructions (the subset of the syntax our Dockerfiles use: no heredocs,
/// no parser directives, backslash continuation).</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<IReadOnlyList<DockerInstruction>> stages)
    {
        Path = path;
        Stages = stages;
    }

    /// <summary>Repository-relative path of the file.</summary>
    public string Path { get; }

    /// <summary>The build stages, each starting with its FROM.</summary>
    public IReadOnlyList<IReadOnlyList<DockerInstruction>> Stages { get; }

    /// <summary>The stage the image is made of.</summary>
    public IReadOnlyList<DockerInstruction> Final => Stages[^1];

    public static Dockerfile Load(string relativePath)
    {
        var lines = File.ReadAllLines(System.IO.Path.Combine(RepoPaths.Root, relativePath));
        var instructions = new List<DockerInstruction>();
        var text = string.Empty;
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (text.Length == 0 && (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')))
            {
                continue;
            }

            if (text.Length == 0)
            {
                start = i + 1;
            }

            if (line.TrimEnd().EndsWith('\\'))
            {
                text += line.TrimEnd()[..^1] + " ";
                continue;
            }

            text += line;
            var match = Instruction().Match(text.Trim());
            if (!match.Success)
            {
                throw new FormatException($"{relativePath}:{start}: not an instruction: {text}");
            }

            instructions.Add(new DockerInstruction(match.Groups[1].Value.ToUpperInvariant(), Whitespace().Replace(match.Groups[2].Value.Trim(), " "), start));
            text = string.Empty;
        }

        var stages = new List<IReadOnlyList<DockerInstruction>>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                stages.Add(new List<DockerInstruction>());
            }
            else if (stages.Count == 0 && instruction.Keyword != "ARG")
            {
                throw new FormatException($"{relativePath}: {instruction} comes before the first FROM.");
            }

            if (stages.Count > 0)
            {
                ((List<DockerInstruction>)stages[^1]).Add(instruction);
            }
        }

        return new Dockerfile(relativePath.Replace('\\', '/'), stages);
    }

    /// <summary>The exec-form array of an ENTRYPOINT or CMD.</summary>
    public static IReadOnlyList<string> ExecForm(DockerInstruction instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        return JsonSerializer.Deserialize<string[]>(instruction.Arguments)
            ?? throw new FormatException($"{instruction} is not in exec form ([\"...\"]).");
    }

    /// <summary>The KEY=value pairs of ENV, LABEL or ARG instructions of a stage (quotes removed).</summary>
    public static IReadOnlyDictionary<string, string> Pairs(IEnumerable<DockerInstruction> stage, string keyword) =>
        stage.Where(i => i.Keyword == keyword)
            .SelectMany(i => Pair().Matches(i.Arguments).Select(m => (m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value)))
            .GroupBy(p => p.Item1)
            .ToDictionary(g => g.Key, g => g.Last().Item2);

    [GeneratedRegex(@"^([A-Za-z]+)\s+(.*)$", RegexOptions.Singleline)]
    private static partial Regex Instruction();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("""([A-Za-z0-9_.\-]+)=(?:"([^"]*)"|(\S*))""")]
    private static partial Regex Pair();
}
