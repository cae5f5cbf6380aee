using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace HpcK8s.Workflows.History;

/// <summary>
/// The JSON conventions of workflow payloads and records: System.Text.Json Web defaults with fields included,
/// as the Dapr SDK uses.
/// </summary>
/// <remarks>
/// Payloads (inputs, outputs, event data, custom status) are JSON strings. A null value is written as a null
/// string (the protocol translator sends it as an empty <c>StringValue</c>); on reading, null, <c>""</c> and
/// <c>"null"</c> all mean null.
/// </remarks>
public static class WorkflowJson
{
    /// <summary>The serializer options for payloads and for <see cref="HistoryEvent"/>/<see cref="WorkflowAction"/> records.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serializes a payload; null becomes a null string.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The JSON text, or null.</returns>
    public static string? Serialize(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    /// <summary>Deserializes a payload; null, <c>""</c> and <c>"null"</c> give <c>default</c>.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="json">The JSON text.</param>
    /// <returns>The value.</returns>
    public static T? Deserialize<T>(string? json) =>
        IsNull(json) ? default : JsonSerializer.Deserialize<T>(json!, Options);

    /// <summary>Deserializes a payload to <paramref name="type"/>; null, <c>""</c> and <c>"null"</c> give null.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="type">The target type.</param>
    /// <returns>The value, or null.</returns>
    public static object? Deserialize(string? json, Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return IsNull(json) ? null : JsonSerializer.Deserialize(json!, type, Options);
    }

    /// <summary>Whether <paramref name="json"/> stands for null (absent, empty or the literal <c>null</c>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>True for null payloads.</returns>
    public static bool IsNull(string? json) =>
        string.IsNullOrWhiteSpace(json) || json.AsSpan().Trim().SequenceEqual("null");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            IncludeFields = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
