using YamlDotNet.RepresentationModel;

namespace HpcK8s.Chart.Tests;

/// <summary>One rendered Kubernetes object, with path lookups that name what is missing.</summary>
public sealed class Manifest
{
    public Manifest(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    public string Kind => Scalar(Root, "kind") ?? string.Empty;

    public string ApiVersion => Scalar(Root, "apiVersion") ?? string.Empty;

    public string Name => Scalar(Root, "metadata", "name") ?? string.Empty;

    public override string ToString() => $"{Kind}/{Name}";

    /// <summary>Parses a multi-document YAML stream, skipping empty documents.</summary>
    public static IReadOnlyList<Manifest> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Select(d => d.RootNode)
            .OfType<YamlMappingNode>()
            .Where(m => m.Children.Count > 0)
            .Select(m => new Manifest(m))
            .ToList();
    }

    public YamlNode? Node(params string[] path) => Node(Root, path);

    public string? Scalar(params string[] path) => Scalar(Root, path);

    public YamlMappingNode Map(params string[] path) =>
        Node(path) as YamlMappingNode ?? throw new Xunit.Sdk.XunitException($"{this}: no mapping at {string.Join('.', path)}.");

    public IReadOnlyList<YamlNode> Seq(params string[] path) =>
        (Node(path) as YamlSequenceNode)?.Children.ToList() ?? [];

    public static YamlNode? Node(YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Scalar(YamlNode node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlNode> Seq(YamlNode node, params string[] path) =>
        (Node(node, path) as YamlSequenceNode)?.Children.ToList() ?? [];

    public static IReadOnlyList<string> Strings(YamlNode node, params string[] path) =>
        Seq(node, path).OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToList();
}
