using System.Text.RegularExpressions;
using HpcK8s.Testing.Docs;

namespace HpcK8s.Chart.Tests.Shipping;

/// <summary>The chart values the shipped dev paths install with: the quick start's <c>helm upgrade --install</c> and
/// skaffold.yaml's release. <see cref="ChartFixture.Modes"/> renders both, so every rendered-manifest check holds for them.</summary>
public static partial class ShippedValues
{
    /// <summary>The tag these tests give skaffold's built images.</summary>
    public const string SkaffoldTag = "0123abcd";

    /// <summary>A registry digest, as skaffold has it after a push.</summary>
    public const string SkaffoldDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000001";

    private static readonly Lazy<HelmInstallCommand> Install = new(() =>
        HelmInstallCommand.Parse(QuickstartDocument.Load().Step(QuickstartSteps.Install).Commands.Single(HelmInstallCommand.Is)));

    /// <summary>The quick start's install of the chart.</summary>
    public static HelmInstallCommand QuickstartInstall => Install.Value;

    /// <summary>skaffold.yaml.</summary>
    public static Manifest Skaffold => Manifest.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Root, "skaffold.yaml"))).Single();

    /// <summary>skaffold.yaml's one helm release.</summary>
    public static YamlDotNet.RepresentationModel.YamlNode SkaffoldRelease => Skaffold.Seq("deploy", "helm", "releases").Single();

    /// <summary>The --set arguments skaffold passes: setValues, then setValueTemplates expanded for built images tagged
    /// <see cref="SkaffoldTag"/>, with <paramref name="digest"/> (null: a local build, which has none).</summary>
    public static string[] SkaffoldSets(string? digest)
    {
        var release = SkaffoldRelease;
        var sets = ((YamlDotNet.RepresentationModel.YamlMappingNode?)Manifest.Node(release, "setValues"))?.Children
            .Select(c => $"{c.Key}={c.Value}").ToList() ?? [];
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var artifact in Skaffold.Seq("build", "artifacts"))
        {
            var image = Manifest.Scalar(artifact, "image")!;
            var name = SkaffoldName(image);
            variables[$"IMAGE_NAME_{name}"] = image;
            variables[$"IMAGE_REPO_{name}"] = image;
            variables[$"IMAGE_TAG_{name}"] = SkaffoldTag;
            variables[$"IMAGE_DIGEST_{name}"] = digest ?? string.Empty;
        }

        var templates = (YamlDotNet.RepresentationModel.YamlMappingNode?)Manifest.Node(release, "setValueTemplates");
        foreach (var (key, value) in templates?.Children.Select(c => (c.Key, c.Value)) ?? [])
        {
            var expanded = Template().Replace(value.ToString(), m => variables.TryGetValue(m.Groups[1].Value, out var v)
                ? v
                : throw new Xunit.Sdk.XunitException($"skaffold.yaml: setValueTemplates.{key} uses {{{{.{m.Groups[1].Value}}}}}, which no build artifact defines (defined: {string.Join(", ", variables.Keys)})."));

            // skaffold drops the "@" a missing digest leaves behind (helm/args.go, ConstructOverrideArgs).
            sets.Add($"{key}={expanded.TrimEnd('@')}");
        }

        return [.. sets];
    }

    /// <summary>The name skaffold gives an artifact in templates: every character that is not a letter or digit becomes "_".</summary>
    public static string SkaffoldName(string image) => NotAlphanumeric().Replace(image, "_");

    [GeneratedRegex(@"\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Template();

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NotAlphanumeric();
}
