using HpcK8s.Testing.Docs;

namespace HpcK8s.Chart.Tests.Shipping;

/// <summary>A documented <c>helm install</c> or <c>helm upgrade --install</c>, read into what <c>helm template</c> needs.</summary>
/// <param name="Release">The release name.</param>
/// <param name="Chart">The chart argument as written.</param>
/// <param name="Namespace">The --namespace, or null.</param>
/// <param name="Sets">The --set values, in order.</param>
/// <param name="Version">The --version (of a repository chart), or null.</param>
public sealed record HelmInstallCommand(string Release, string Chart, string? Namespace, IReadOnlyList<string> Sets, string? Version)
{
    // Flags that only matter to an install against a cluster; helm template takes none of them.
    private static readonly HashSet<string> InstallOnlyFlags = ["--install", "-i", "--wait", "--create-namespace", "--atomic", "--rollback-on-failure", "--debug", "--wait-for-jobs"];
    private static readonly HashSet<string> InstallOnlyFlagsWithValue = ["--timeout"];

    /// <summary>True for <c>helm install …</c> and <c>helm upgrade --install …</c>.</summary>
    public static bool Is(DocCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.StartsWith("helm", "install") || (command.StartsWith("helm", "upgrade") && command.Words.Contains("--install"));
    }

    /// <summary>Reads the command; any flag it does not know fails the test, so the page stays checkable.</summary>
    public static HelmInstallCommand Parse(DocCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var words = command.Words;
        var positional = new List<string>();
        var sets = new List<string>();
        string? ns = null;
        string? version = null;
        for (var i = 2; i < words.Count; i++)
        {
            var word = words[i];
            var (flag, inline) = word.StartsWith('-') && word.Contains('=', StringComparison.Ordinal)
                ? (word[..word.IndexOf('=', StringComparison.Ordinal)], word[(word.IndexOf('=', StringComparison.Ordinal) + 1)..])
                : (word, null);
            string Next() => inline ?? (++i < words.Count ? words[i] : throw new Xunit.Sdk.XunitException($"{command}: {flag} has no value."));
            switch (flag)
            {
                case "--namespace" or "-n":
                    ns = Next();
                    break;
                case "--set":
                    sets.Add(Next());
                    break;
                case "--version":
                    version = Next();
                    break;
                case var f when InstallOnlyFlags.Contains(f):
                    break;
                case var f when InstallOnlyFlagsWithValue.Contains(f):
                    Next();
                    break;
                case var f when f.StartsWith('-'):
                    throw new Xunit.Sdk.XunitException($"{command}: the chart tests do not know helm flag {f}; teach HelmInstallCommand what it means for helm template.");
                default:
                    positional.Add(word);
                    break;
            }
        }

        if (positional.Count != 2)
        {
            throw new Xunit.Sdk.XunitException($"{command}: expected a release name and a chart, got [{string.Join(", ", positional)}].");
        }

        return new HelmInstallCommand(positional[0], positional[1], ns, sets, version);
    }

    /// <summary><c>helm template</c> arguments that render what the command installs.</summary>
    public IReadOnlyList<string> TemplateArguments()
    {
        var args = new List<string> { "template", Release, Chart };
        if (Namespace is not null)
        {
            args.AddRange(["--namespace", Namespace]);
        }

        foreach (var set in Sets)
        {
            args.AddRange(["--set", set]);
        }

        if (Version is not null)
        {
            args.AddRange(["--version", Version]);
        }

        return args;
    }

    /// <summary>The value a --set gives <paramref name="key"/>, or null.</summary>
    public string? Set(string key) => Sets.Select(s => s.Split('=', 2)).Where(p => p[0] == key).Select(p => p[1]).LastOrDefault();
}
