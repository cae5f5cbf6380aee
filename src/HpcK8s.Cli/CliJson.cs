using System.Text.Json;

namespace HpcK8s.Cli;

/// <summary>JSON settings for everything the CLI prints: camelCase, compact, unescaped where safe.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
