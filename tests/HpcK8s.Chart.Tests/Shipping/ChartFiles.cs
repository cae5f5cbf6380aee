using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace HpcK8s.Chart.Tests.Shipping;

/// <summary>charts/hpck8s's Chart.yaml, values.yaml and values.schema.json, read for the names other files must match.</summary>
public static class ChartFiles
{
    private static readonly Lazy<Manifest> ValuesFile = new(() => Manifest.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Chart, "values.yaml"))).Single());
    private static readonly Lazy<Manifest> ChartFile = new(() => Manifest.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Chart, "Chart.yaml"))).Single());
    private static readonly Lazy<JsonElement> SchemaFile = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Chart, "values.schema.json")));
        return document.RootElement.Clone();
    });

    /// <summary>Chart.yaml's appVersion: the default image tag.</summary>
    public static string AppVersion => ChartFile.Value.Scalar("appVersion") ?? throw new Xunit.Sdk.XunitException("Chart.yaml has no appVersion.");

    /// <summary>A scalar of values.yaml by its dotted key (<c>worker.image.repository</c>).</summary>
    public static string Value(string key) =>
        ValuesFile.Value.Scalar(key.Split('.')) ?? throw new Xunit.Sdk.XunitException($"charts/hpck8s/values.yaml has no scalar {key}.");

    /// <summary>True when values.schema.json declares the dotted key (following <c>properties</c> at every level).</summary>
    public static bool SchemaDeclares(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var node = SchemaFile.Value;
        foreach (var part in key.Split('.'))
        {
            if (!node.TryGetProperty("properties", out var properties) || !properties.TryGetProperty(part, out node))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The values.yaml mapping at a dotted key.</summary>
    public static YamlMappingNode Map(string key) => ValuesFile.Value.Map(key.Split('.'));
}
