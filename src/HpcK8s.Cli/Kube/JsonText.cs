using System.Text.Json;
using YamlDotNet.Serialization;

namespace HpcK8s.Cli.Kube;

/// <summary>Prints objects as the API server returned them, as indented JSON or as YAML (<c>-o json|yaml</c>), so that
/// fields this CLI does not know are shown too.</summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly ISerializer Yaml = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build();

    public static string Json(JsonElement element) => JsonSerializer.Serialize(element, Indented);

    public static string ToYaml(JsonElement element) => Yaml.Serialize(ToObject(element)).TrimEnd('\n');

    // YamlDotNet serializes plain dictionaries, lists and scalars; keys keep the API server's order.
    private static object? ToObject(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new Dictionary<string, object?>(StringComparer.Ordinal), (map, p) =>
        {
            map[p.Name] = ToObject(p.Value);
            return map;
        }),
        JsonValueKind.Array => element.EnumerateArray().Select(ToObject).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
